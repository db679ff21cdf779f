package dev.iasql.bench;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.engine.spi.AttachedDatabase;
import dev.iasql.engine.spi.EngineExtension;
import dev.iasql.postgres.EmbeddedOptions;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Many databases on one engine (the scale issue): for 1, 100 and 1,000 databases attached to one engine on the
 * embedded cluster with its default settings, the engine's backends, its heap after GC, its start-up time, and the
 * no-op call's latency on one database while the others idle. The databases are made by an engine without the
 * bridge (it serves none of them); then the measured engine starts and attaches them all.
 *
 * <p>System properties: {@code bench.many.counts} ({@code 1,100,1000}), {@code bench.many.calls} (1000 measured
 * no-op calls, after 200 warm-up ones), {@code bench.many.out} ({@code target/many-databases.txt}).
 */
public final class ManyDatabases {
  private static final String NO_OP = "SELECT * FROM iasql_modules_list()";
  /** The pools close idle connections after 3 s; a little more before counting what an idle engine holds. */
  private static final long IDLE_WAIT_MILLIS = 5_000;

  private ManyDatabases() {}

  public static void main(String[] args) throws Exception {
    int[] counts = Arrays.stream(System.getProperty("bench.many.counts", "1,100,1000").split(","))
        .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    int calls = Integer.getInteger("bench.many.calls", 1000);
    Path out = Path.of(System.getProperty("bench.many.out", "target/many-databases.txt"));
    StringBuilder report = new StringBuilder();
    report.append(String.format(Locale.ROOT, "%-9s %-12s %-14s %-15s %-12s %-12s %-12s %-9s %-9s %-10s %-10s%n",
        "databases", "create_s", "engine_start_s", "engine_backends", "in_user_dbs", "all_backends",
        "heap_delta_MB", "p50_ms", "p99_ms", "restart_s", "called_s"));
    try (PostgresCluster cluster = PostgresCluster.embedded(EmbeddedOptions.forTests());
        Engine creator = Engine.configure().postgres(cluster).discoverExtensions(false).build()) {
      List<CreatedDatabase> made = new ArrayList<>();
      for (int n : counts) {
        long createStart = System.nanoTime();
        create(creator, made, n);
        double createSeconds = (System.nanoTime() - createStart) / 1e9;
        long heapBefore = heapAfterGc();
        long start = System.nanoTime();
        List<String> order = new CopyOnWriteArrayList<>();
        try (Engine engine = Engine.configure().postgres(cluster).extension(recording(order)).build()) {
          double startSeconds = (System.nanoTime() - start) / 1e9;
          if (engine.attachedDatabases().size() < n) {
            throw new IllegalStateException("the engine serves " + engine.attachedDatabases().size() + " of " + n);
          }
          Thread.sleep(IDLE_WAIT_MILLIS);
          long heapDelta = heapAfterGc() - heapBefore;
          Map<String, Object> idle = backends(cluster);
          CreatedDatabase one = made.get(0);
          Summary latency = noOp(cluster, one, calls);
          report.append(String.format(Locale.ROOT, "%-9d %-12.1f %-14.2f %-15s %-12s %-12s %-12.1f %-9.2f %-9.2f",
              n, createSeconds, startSeconds, idle.get("engine"), idle.get("engine_in_user_dbs"), idle.get("all"),
              heapDelta / 1e6, latency.p50Ms(), latency.p99Ms()));
        }
        double[] restart = restartWithACaller(cluster, made, order.get(order.size() - 1));
        report.append(String.format(Locale.ROOT, " %-10.2f %-10.2f%n", restart[0], restart[1]));
        System.err.print(report); // progress for whoever watches; the file has the same
      }
    }
    report.append(String.format(Locale.ROOT, "%nengine_backends: sessions named iasql-engine once every database"
        + " idled %d ms (the creating engine, without the bridge, holds none then);%nin_user_dbs: those of them in"
        + " user databases; all_backends: every backend of the cluster (max_connections %d);%nheap_delta_MB: the"
        + " JVM's heap after GC with the engine started, less before it started; p50/p99: %d no-op calls (%s)%n"
        + "on one database, as its tenant, while the others idle;%nrestart_s: an engine's start again, while a tenant"
        + " calls the database the first start attached last;%ncalled_s: when that call was answered, from the"
        + " start's beginning.%n", IDLE_WAIT_MILLIS,
        EmbeddedOptions.DEFAULT_MAX_CONNECTIONS, calls, NO_OP));
    BridgeRoundTrip.write(out, report.toString());
  }

  /** An extension that only notes the order its engine attaches user databases in. */
  private static EngineExtension recording(List<String> order) {
    return new EngineExtension() {
      @Override
      public void attach(AttachedDatabase database) {
        if (database.kind() == AttachedDatabase.Kind.USER) {
          order.add(database.name());
        }
      }
    };
  }

  /**
   * Starts an engine again while a tenant of {@code last} calls the no-op from the start's beginning (it waits for an
   * engine within a long pickup timeout): the start's seconds, and the seconds until the call was answered.
   */
  private static double[] restartWithACaller(PostgresCluster cluster, List<CreatedDatabase> made, String last)
      throws Exception {
    CreatedDatabase db = made.stream().filter(d -> d.name().equals(last)).findFirst().orElseThrow();
    try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(db.name()), db.pgUser(), db.pgPassword())) {
      Sql.exec(c, "SET iasql.pickup_timeout = '30min'");
      long start = System.nanoTime();
      CompletableFuture<Long> called = CompletableFuture.supplyAsync(() -> {
        while (true) {
          try {
            Sql.rows(c, NO_OP);
            return System.nanoTime();
          } catch (SQLException e) {
            if (!"IQ001".equals(e.getSQLState())) { // IQ001 until the new engine's doorbell says it runs
              throw new IllegalStateException(e);
            }
          }
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        }
      });
      try (Engine engine = Engine.configure().postgres(cluster).build()) {
        double startSeconds = (System.nanoTime() - start) / 1e9;
        return new double[] {startSeconds, (called.get(30, TimeUnit.MINUTES) - start) / 1e9};
      }
    }
  }

  /** Makes databases until there are {@code n}, two at a time (the machine has two cores). */
  private static void create(Engine creator, List<CreatedDatabase> made, int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<CreatedDatabase>> futures = new ArrayList<>();
      for (int i = made.size(); i < n; i++) {
        String name = "many_" + i;
        futures.add(pool.submit(() -> creator.createDatabase(name)));
      }
      for (Future<CreatedDatabase> f : futures) {
        made.add(f.get());
      }
    } finally {
      pool.shutdown();
    }
  }

  private static long heapAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  private static Map<String, Object> backends(PostgresCluster cluster) throws SQLException {
    try (Connection c = DriverManager.getConnection(cluster.jdbcUrl("postgres"), cluster.adminUser(),
        cluster.adminPassword())) {
      return Sql.rows(c, "SELECT count(*) FILTER (WHERE application_name = 'iasql-engine') AS engine,"
          + " count(*) FILTER (WHERE application_name = 'iasql-engine' AND datname NOT IN ('postgres',"
          + " 'iasql_metadata')) AS engine_in_user_dbs, count(*) FILTER (WHERE backend_type = 'client backend')"
          + " AS all FROM pg_stat_activity").get(0);
    }
  }

  private static Summary noOp(PostgresCluster cluster, CreatedDatabase db, int calls) throws SQLException {
    try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(db.name()), db.pgUser(), db.pgPassword())) {
      for (int i = 0; i < 200; i++) {
        Sql.rows(c, NO_OP);
      }
      long[] latencies = new long[calls];
      long wall = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        long t = System.nanoTime();
        Sql.rows(c, NO_OP);
        latencies[i] = System.nanoTime() - t;
      }
      return Summary.of(latencies, System.nanoTime() - wall);
    }
  }
}
