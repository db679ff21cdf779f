package dev.iasql.bench;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.SharedCluster;
import dev.iasql.testkit.Sql;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.util.PSQLException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Fairness under load (issue 15): {@code busy} databases, each with one client calling {@code iasql_apply()} and
 * {@code iasql_sync()} against moto without pause, and one more database, idle, whose client calls the no-op
 * {@code iasql_modules_list()} meanwhile. Reports the idle database's latency (p50/p99/max) and every failed call.
 * Against a moto of its own that checks no credentials (so that each busy database can have an account of its own,
 * assumed into by account id), unless
 * {@code bench.fair.sharedAccount=true} puts them all on one (they then delete each other's groups).
 *
 * <p>System properties: {@code bench.fair.busy} (50), {@code bench.fair.seconds} (60), {@code bench.fair.sharedAccount}
 * (false), {@code bench.fair.out} ({@code target/fair-load.txt}). Exits with 1 when any call failed.
 */
public final class FairLoad {
  private static final String NO_OP = "SELECT * FROM iasql_modules_list()";
  /** The same connection's plain round trip, timed beside each no-op: what the machine's load alone costs a call. */
  private static final String PLAIN = "SELECT 1";
  /** The load's start, reported apart: the engine logs into every busy database for its first call then. */
  private static final long STARTUP_NANOS = 5_000_000_000L;
  /** Between two no-op calls of the idle client: it samples, it is not a load of its own. */
  private static final long IDLE_PAUSE_MILLIS = 20;

  private FairLoad() {}

  public static void main(String[] args) throws Exception {
    int busy = Integer.getInteger("bench.fair.busy", 50);
    int seconds = Integer.getInteger("bench.fair.seconds", 60);
    boolean sharedAccount = Boolean.getBoolean("bench.fair.sharedAccount");
    Path out = Path.of(System.getProperty("bench.fair.out", "target/fair-load.txt"));

    String endpoint = OwnMoto.start();
    System.setProperty("aws.endpointUrl", endpoint); // before the engine builds any AWS client
    Engine engine = SharedCluster.engine();
    PostgresCluster postgres = SharedCluster.postgres();
    String run = Long.toHexString(System.nanoTime() & 0xffffff);
    List<String> names = new ArrayList<>();
    Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    List<Long> idle = Collections.synchronizedList(new ArrayList<>());
    List<Long> plain = Collections.synchronizedList(new ArrayList<>());
    /** When each idle call started, in nanoseconds after the load did. */
    List<Long> idleAt = Collections.synchronizedList(new ArrayList<>());
    AtomicLong applies = new AtomicLong();
    AtomicLong syncs = new AtomicLong();
    ExecutorService clients = Executors.newFixedThreadPool(busy + 1, r -> {
      Thread t = new Thread(r, "fair-client");
      t.setDaemon(true);
      return t;
    });
    String text;
    try {
      long setupStart = System.nanoTime();
      List<Moto.Keys> keys = sharedAccount
          ? Collections.nCopies(busy, new Moto.Keys(Moto.ACCOUNT_ID, "AKIAFAIRLOADSHARED00", "fair"))
          : accounts(endpoint, busy);
      List<Future<Load.Login>> made = new ArrayList<>();
      ExecutorService setup = Executors.newFixedThreadPool(4);
      for (int i = 0; i < busy; i++) {
        String name = "fair_" + run + "_" + i;
        names.add(name);
        Moto.Keys k = keys.get(i);
        made.add(setup.submit(() -> busyDatabase(engine, postgres, name, k)));
      }
      String idleName = "fair_" + run + "_idle";
      names.add(idleName);
      CreatedDatabase idleDb = engine.createDatabase(idleName);
      List<Load.Login> logins = new ArrayList<>();
      for (Future<Load.Login> f : made) {
        logins.add(f.get());
      }
      setup.shutdown();
      long setupMs = (System.nanoTime() - setupStart) / 1_000_000;
      Load.Login idleLogin = new Load.Login(postgres.jdbcUrl(idleDb.name()), idleDb.pgUser(), idleDb.pgPassword());

      // Every client logs in before the clock starts: what is timed is calls, not PostgreSQL's logins (201 at once
      // took the idle client's own login 12 s, and its first call on a fresh session 20 s, in a storm that said
      // nothing of the engine). The idle client warms up and keeps its connection, as a tenant at work does.
      List<Connection> open = new ArrayList<>();
      for (Load.Login login : logins) {
        open.add(login.open());
      }
      Connection idleConnection = idleLogin.open();
      open.add(idleConnection);
      for (int i = 0; i < 20; i++) {
        Sql.rows(idleConnection, NO_OP); // warm: the first calls of a database and of a connection cost more
      }
      long idleAlone = quietP99(idleConnection);
      long[] gcBefore = gcCountAndMillis();
      long loadStart = System.nanoTime();
      long deadline = loadStart + seconds * 1_000_000_000L;
      List<Future<?>> running = new ArrayList<>();
      // The idle client first: started after 200 busy ones, it began only 5-11 s into the load, its database's pool
      // long closed.
      running.add(clients.submit(() -> {
        try (Connection c = idleConnection) {
          while (System.nanoTime() < deadline) {
            long start = System.nanoTime();
            try {
              Sql.rows(c, NO_OP);
              synchronized (idle) {
                idle.add(System.nanoTime() - start);
                idleAt.add(start - loadStart);
              }
              long plainStart = System.nanoTime();
              Sql.rows(c, PLAIN);
              plain.add(System.nanoTime() - plainStart);
            } catch (SQLException e) {
              failures.computeIfAbsent("idle " + describe(e), k -> new AtomicInteger()).incrementAndGet();
            }
            Thread.sleep(IDLE_PAUSE_MILLIS);
          }
        }
        return null;
      }));
      for (int i = 0; i < busy; i++) {
        Connection c = open.get(i);
        String prefix = "fair-" + run + "-" + i + "-";
        running.add(clients.submit(() -> {
          busyClient(c, prefix, deadline, failures, applies, syncs);
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get(); // each client closes its connection
      }
      long[] gcAfter = gcCountAndMillis();
      text = report(busy, seconds, sharedAccount, setupMs, idleAlone, idle, idleAt, applies.get(), syncs.get(),
          failures) + plainLine(plain) + String.format(Locale.ROOT, "garbage collection in the bench's JVM (engine and clients) during"
          + " the load: %d collections, %d ms in all%n", gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1]);
    } finally {
      clients.shutdownNow();
      for (String name : names) {
        try {
          engine.dropDatabase(name);
        } catch (RuntimeException e) {
          System.err.println("could not drop " + name + ": " + e.getMessage());
        }
      }
      engine.close();
    }
    System.out.println();
    System.out.print(text);
    BridgeRoundTrip.write(out, text);
    System.out.println("written to " + out.toAbsolutePath());
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  /** Creates a database with aws_account (these keys) and aws_security_group; returns its tenant's login. */
  private static Load.Login busyDatabase(Engine engine, PostgresCluster postgres, String name, Moto.Keys keys)
      throws SQLException {
    CreatedDatabase db = engine.createDatabase(name);
    Load.Login login = new Load.Login(postgres.jdbcUrl(db.name()), db.pgUser(), db.pgPassword());
    try (Connection c = login.open()) {
      Sql.rows(c, "SELECT * FROM iasql_install('aws_account')");
      Sql.exec(c, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
          keys.accessKeyId(), keys.secretAccessKey());
      Sql.rows(c, "SELECT * FROM iasql_install('aws_security_group')");
    }
    return login;
  }

  /** Until the deadline: a new group, apply, sync, the group deleted, apply. Counts failures by what they said. */
  private static void busyClient(Connection connection, String prefix, long deadline,
      Map<String, AtomicInteger> failures, AtomicLong applies, AtomicLong syncs) throws SQLException {
    try (Connection c = connection) {
      for (int k = 0; System.nanoTime() < deadline; k++) {
        try {
          Sql.exec(c, "INSERT INTO security_group (description, group_name) VALUES ('fair', ?)", prefix + k);
          Sql.rows(c, CloudLoop.APPLY);
          applies.incrementAndGet();
          Sql.rows(c, CloudLoop.SYNC);
          syncs.incrementAndGet();
          Sql.exec(c, "DELETE FROM security_group WHERE group_name = ?", prefix + k);
          Sql.rows(c, CloudLoop.APPLY);
          applies.incrementAndGet();
        } catch (SQLException e) {
          failures.computeIfAbsent("busy " + describe(e), x -> new AtomicInteger()).incrementAndGet();
        }
      }
    }
  }

  /** The idle database's no-op p99 with nothing else running, in nanoseconds: the baseline. */
  private static long quietP99(Connection c) throws SQLException, InterruptedException {
    long[] l = new long[100];
    for (int i = 0; i < l.length; i++) {
      long start = System.nanoTime();
      Sql.rows(c, NO_OP);
      l[i] = System.nanoTime() - start;
      Thread.sleep(IDLE_PAUSE_MILLIS);
    }
    return (long) (Summary.of(l, 1).p99Ms() * 1_000_000);
  }

  private static String plainLine(List<Long> plain) {
    long[] l = plain.stream().mapToLong(Long::longValue).toArray();
    if (l.length == 0) {
      return "";
    }
    Summary s = Summary.of(l, 1);
    return String.format(Locale.ROOT, "%s on the idle database's connection, after each no-op: p50 %.1f ms, p99 %.1f ms,"
        + " max %.1f ms%n", PLAIN, s.p50Ms(), s.p99Ms(), s.maxMs());
  }

  /** Collections so far and their time, over the JVM's collectors (G1's young and mixed ones pause every thread). */
  private static long[] gcCountAndMillis() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    return new long[] {count, millis};
  }

  /** Keys of {@code n} accounts of their own: one assume-role into each. */
  private static List<Moto.Keys> accounts(String endpoint, int n) {
    List<Moto.Keys> keys = new ArrayList<>();
    try (StsClient sts = StsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("fair", "fair"))).build()) {
      for (int i = 0; i < n; i++) {
        String account = String.format(Locale.ROOT, "%012d", 300_000_000_000L + i);
        Credentials role = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + account + ":role/fair")
            .roleSessionName("fair")).credentials();
        keys.add(new Moto.Keys(account, role.accessKeyId(), role.secretAccessKey()));
      }
    }
    return keys;
  }

  private static String report(int busy, int seconds, boolean sharedAccount, long setupMs, long idleAloneNanos,
      List<Long> idle, List<Long> idleAt, long applies, long syncs, Map<String, AtomicInteger> failures) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Fair load: %d busy databases (%s) calling apply and sync for %d s, and one"
        + " idle database calling %s every %d ms%n", busy, sharedAccount ? "all on one account" : "one account each",
        seconds, NO_OP, IDLE_PAUSE_MILLIS));
    sb.append(String.format(Locale.ROOT, "setup: %d ms; %d processors%n", setupMs,
        Runtime.getRuntime().availableProcessors()));
    sb.append(String.format(Locale.ROOT, "idle database alone, before the load: no-op p99 %.1f ms%n",
        idleAloneNanos / 1e6));
    long[] l = idle.stream().mapToLong(Long::longValue).toArray();
    if (l.length == 0) {
      sb.append("idle database under load: no call completed\n");
    } else {
      Summary s = Summary.of(l, 1);
      sb.append(String.format(Locale.ROOT, "idle database under load: %d no-op calls, p50 %.1f ms, p90 %.1f ms,"
          + " p99 %.1f ms, max %.1f ms; goal p99 <= 50 ms: %s%n", s.calls(), s.p50Ms(), s.p90Ms(), s.p99Ms(),
          s.maxMs(), s.p99Ms() <= 50 ? "PASS" : "MISS"));
      int worst = 0;
      for (int i = 1; i < l.length; i++) {
        worst = l[i] > l[worst] ? i : worst;
      }
      // The engine logs into every busy database, and their calls open their bridge lines, in the first seconds.
      long[] steady = java.util.stream.IntStream.range(0, l.length)
          .filter(i -> idleAt.get(i) >= STARTUP_NANOS).mapToLong(i -> l[i]).toArray();
      sb.append(String.format(Locale.ROOT, "  the slowest started %.1f s into the load; after its first %d s: %s%n",
          idleAt.get(worst) / 1e9, STARTUP_NANOS / 1_000_000_000L, steady.length == 0 ? "no call" : String.format(
              Locale.ROOT, "%d calls, p50 %.1f ms, p99 %.1f ms, max %.1f ms", steady.length,
              Summary.of(steady, 1).p50Ms(), Summary.of(steady, 1).p99Ms(), Summary.of(steady, 1).maxMs())));
    }
    sb.append(String.format(Locale.ROOT, "busy databases: %d applies and %d syncs done%n", applies, syncs));
    int failed = failures.values().stream().mapToInt(AtomicInteger::get).sum();
    sb.append(String.format(Locale.ROOT, "failed calls: %d%n", failed));
    new TreeMap<>(failures).forEach((what, n) -> sb.append(String.format(Locale.ROOT, "  %d x %s%n", n.get(), what)));
    return sb.toString();
  }

  /** The error's SQLSTATE, message and detail: the detail must say what failed. */
  private static String describe(SQLException e) {
    String detail = e instanceof PSQLException p && p.getServerErrorMessage() != null
        ? p.getServerErrorMessage().getDetail() : null;
    String message = e instanceof PSQLException p && p.getServerErrorMessage() != null
        ? p.getServerErrorMessage().getMessage() : e.getMessage();
    return e.getSQLState() + " " + message + (detail == null ? " (no DETAIL)"
        : " DETAIL: " + detail.lines().findFirst().orElse("(empty)"));
  }
}
