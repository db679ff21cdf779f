package dev.iasql.bench;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.postgres.Durability;
import dev.iasql.postgres.EmbeddedOptions;
import dev.iasql.postgres.PostgresCluster;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The bridge's round trip as a libpq client sees it: {@code pgbench} runs {@code SELECT 1} and {@code SELECT * FROM
 * iasql_modules_list()} as a database's tenant, with 1 and with 4 clients, against an engine on an embedded PostgreSQL
 * set up as {@code ./iasql serve} sets up its own (fsync and synchronous_commit on), started in this JVM. Prints p50,
 * p99 and calls/s of each, and the bridge call's ratio to {@code SELECT 1}, in one run.
 *
 * <p>System properties: {@code bench.pgbench} (the executable; default: on PATH, else {@code
 * /usr/lib/postgresql/<major>/bin}), {@code bench.warmup} (calls per client before measuring, 200), {@code
 * bench.calls} (measured calls per client, 2000), {@code bench.callers} ({@code 1,4}), {@code bench.out} (the
 * table, {@code target/bench-pgbench.txt}).
 */
public final class PgbenchRoundTrip {
  static final String NO_OP = "SELECT * FROM iasql_modules_list()";
  static final String BASELINE = "SELECT 1";
  static final double GOAL_P50_MS = 1.0;
  static final double GOAL_CALLS_PER_SECOND_4 = 1000;

  private PgbenchRoundTrip() {}

  /** One measured configuration. */
  record Row(String query, int clients, Summary summary) {}

  public static void main(String[] args) throws Exception {
    int warmup = Integer.getInteger("bench.warmup", 200);
    int calls = Integer.getInteger("bench.calls", 2000);
    int[] clientCounts = Arrays.stream(System.getProperty("bench.callers", "1,4").split(",", -1))
        .map(String::trim).mapToInt(Integer::parseInt).toArray();
    Path out = Path.of(System.getProperty("bench.out", "target/bench-pgbench.txt"));
    Path work = Path.of(System.getProperty("bench.work", "target/pgbench"));
    Pgbench pgbench = Pgbench.find(Optional.ofNullable(System.getProperty("bench.pgbench")));

    try (PostgresCluster postgres = PostgresCluster.embedded(new EmbeddedOptions(null, 0, Durability.DURABLE));
        Engine engine = Engine.configure().postgres(postgres).build()) {
      byte[] suffix = new byte[4];
      new SecureRandom().nextBytes(suffix);
      String name = "pgbench_" + HexFormat.of().formatHex(suffix);
      CreatedDatabase db = engine.createDatabase(name);
      try {
        Pgbench.Target tenant = new Pgbench.Target(postgres.host(), postgres.port(), db.name(), db.pgUser(),
            db.pgPassword());
        System.out.printf(Locale.ROOT, "%s, as %s%n", pgbench, tenant);
        List<Row> rows = new ArrayList<>();
        for (String sql : List.of(BASELINE, NO_OP)) {
          for (int clients : clientCounts) {
            pgbench.run(tenant, sql, clients, warmup, work);
            Pgbench.Result r = pgbench.run(tenant, sql, clients, calls, work);
            Summary s = summary(r);
            rows.add(new Row(sql, clients, s));
            System.out.printf(Locale.ROOT, "  %-36s clients %d: p50 %.3f ms, p99 %.3f ms, %.0f calls/s%n", sql,
                clients, s.p50Ms(), s.p99Ms(), s.callsPerSecond());
          }
        }
        String table = table(rows);
        System.out.println();
        System.out.print(table);
        BridgeRoundTrip.write(out, table);
        System.out.println("written to " + out.toAbsolutePath());
      } finally {
        engine.dropDatabase(name);
      }
    }
  }

  /** Latency percentiles from pgbench's log; throughput as pgbench reports it (connection time left out). */
  static Summary summary(Pgbench.Result r) {
    Summary s = Summary.of(r.latencyNanos(), 1);
    return new Summary(s.calls(), s.p50Ms(), s.p90Ms(), s.p99Ms(), s.maxMs(), s.meanMs(), r.callsPerSecond());
  }

  /** The measurements, the bridge call's ratio to {@code SELECT 1} per client count, and the goals. */
  static String table(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-36s %7s %9s %9s %10s%n", "query", "clients", "p50 ms", "p99 ms",
        "calls/s"));
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "%-36s %7d %9.3f %9.3f %10.0f%n", r.query(), r.clients(),
          r.summary().p50Ms(), r.summary().p99Ms(), r.summary().callsPerSecond()));
    }
    for (Row call : rows) {
      if (!call.query().equals(NO_OP)) {
        continue;
      }
      rows.stream().filter(b -> b.query().equals(BASELINE) && b.clients() == call.clients()).findFirst()
          .ifPresent(base -> sb.append(String.format(Locale.ROOT,
              "ratio, %d client(s): p50 %.1fx SELECT 1's, calls/s %.3f of SELECT 1's%n", call.clients(),
              call.summary().p50Ms() / base.summary().p50Ms(),
              call.summary().callsPerSecond() / base.summary().callsPerSecond())));
      if (call.clients() == 1) {
        sb.append(String.format(Locale.ROOT, "goal p50 <= %.0f ms with 1 client: %.3f ms, %s%n", GOAL_P50_MS,
            call.summary().p50Ms(), call.summary().p50Ms() <= GOAL_P50_MS ? "met" : "NOT met"));
      } else if (call.clients() == 4) {
        sb.append(String.format(Locale.ROOT, "goal >= %.0f calls/s with 4 clients: %.0f, %s%n",
            GOAL_CALLS_PER_SECOND_4, call.summary().callsPerSecond(),
            call.summary().callsPerSecond() >= GOAL_CALLS_PER_SECOND_4 ? "met" : "NOT met"));
      }
    }
    return sb.toString();
  }
}
