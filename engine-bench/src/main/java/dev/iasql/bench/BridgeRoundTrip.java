package dev.iasql.bench;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.SharedCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The bridge's round trip: latency percentiles and throughput of {@code SELECT * FROM iasql_modules_list()} (the
 * smallest engine-backed call) against {@code SELECT 1}, called by the tenant role over JDBC, each caller on its own
 * connection, with 1 and with 4 callers; then the same call on the queued route, which the traced run splits into
 * phases. Starts an embedded PostgreSQL and an engine, creates a fresh database, warms
 * up, measures, then splits a traced run into phases; prints a table and writes it as JSON; drops the database.
 *
 * <p>System properties: {@code bench.warmup} (500 calls), {@code bench.calls} (3000 per configuration), {@code
 * bench.callers} ({@code 1,4}), {@code bench.rounds} (1), {@code bench.phases} (true: the traced run and the probes),
 * {@code bench.out} (the JSON file, {@code target/bench-roundtrip.json}); for logback, {@code bench.log} (the engine's
 * log file, {@code target/bench-engine.log}) and {@code bench.engineLogLevel} (INFO).
 */
public final class BridgeRoundTrip {
  static final String NO_OP = "SELECT * FROM iasql_modules_list()";
  static final String BASELINE = "SELECT 1";
  /** The no-op call's label on the queued route. */
  static final String QUEUED = NO_OP + " (queued)";

  private BridgeRoundTrip() {}

  public static void main(String[] args) throws Exception {
    int warmup = Integer.getInteger("bench.warmup", 500);
    int calls = Integer.getInteger("bench.calls", 3000);
    int rounds = Integer.getInteger("bench.rounds", 1);
    int[] callerCounts = Arrays.stream(System.getProperty("bench.callers", "1,4").split(",", -1))
        .map(String::trim).mapToInt(Integer::parseInt).toArray();
    boolean phases = Boolean.parseBoolean(System.getProperty("bench.phases", "true"));
    Path out = Path.of(System.getProperty("bench.out", "target/bench-roundtrip.json"));

    long started = System.nanoTime();
    Engine engine = SharedCluster.engine();
    PostgresCluster postgres = SharedCluster.postgres();
    System.out.printf(Locale.ROOT, "embedded PostgreSQL and engine up in %d ms%n",
        (System.nanoTime() - started) / 1_000_000);
    byte[] suffix = new byte[4];
    new SecureRandom().nextBytes(suffix);
    String name = "bench_" + HexFormat.of().formatHex(suffix);
    CreatedDatabase db = engine.createDatabase(name);
    try {
      Load.Login tenant = new Load.Login(postgres.jdbcUrl(db.name()), db.pgUser(), db.pgPassword());
      Load.Login admin = new Load.Login(postgres.jdbcUrl(db.name()), postgres.adminUser(), postgres.adminPassword());
      Report.Environment environment = new Report.Environment(serverVersion(tenant),
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), warmup, calls);

      CpuMeter meter = cpuMeter(admin);
      List<Report.Measurement> measurements = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        for (String sql : List.of(BASELINE, NO_OP)) {
          for (int callers : callerCounts) {
            measurements.add(measure(tenant, sql, sql, callers, round, warmup, calls, meter));
          }
        }
      }
      // The same call on the queued route (request row, ring, lock), which a cluster on another machine takes: the
      // database loses the engine's port (new sessions then queue), and the traced pass below splits its phases.
      try (Connection c = admin.open(); Statement s = c.createStatement()) {
        s.execute("UPDATE iasql_engine.config SET engine_conninfo = NULL");
      }
      for (int round = 1; round <= rounds; round++) {
        for (int callers : callerCounts) {
          measurements.add(measure(tenant, NO_OP, QUEUED, callers, round, warmup, calls, meter));
        }
      }
      List<Phases.Row> phaseRows = new ArrayList<>();
      List<Probes.Probe> probes = new ArrayList<>();
      if (phases) {
        for (int callers : callerCounts) {
          phaseRows.addAll(Phases.measure(tenant, admin, NO_OP, callers, warmup, Math.min(calls, 2000)));
        }
        probes.addAll(Probes.measure(admin));
      }
      Report report = new Report(environment, measurements, phaseRows, probes);
      System.out.println();
      System.out.print(report.table());
      System.out.print(goals(measurements));
      write(out, report.json());
      System.out.println("written to " + out.toAbsolutePath());
    } finally {
      engine.dropDatabase(name);
      engine.close();
    }
  }

  /** One configuration: {@code calls} of {@code sql} by {@code callers}, reported as {@code label}. */
  private static Report.Measurement measure(Load.Login tenant, String sql, String label, int callers, int round,
      int warmup, int calls, CpuMeter meter) throws SQLException, InterruptedException {
    Load.Run run = Load.run(tenant, sql, callers, warmup, calls, meter);
    Summary s = run.summary();
    System.out.printf(Locale.ROOT, "  %-36s callers %d round %d: p50 %.3f ms, %.0f calls/s%n", label, callers, round,
        s.p50Ms(), s.callsPerSecond());
    return new Report.Measurement(label, callers, round, s, run.cpu());
  }

  /** Finds the postmaster as the parent of a backend, while that backend lives. */
  private static CpuMeter cpuMeter(Load.Login login) throws SQLException {
    try (Connection c = login.open(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return new CpuMeter(rs.getLong(1));
    }
  }

  static String serverVersion(Load.Login login) throws SQLException {
    try (Connection c = login.open(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** The goals, checked against the last round of the no-op call. */
  static String goals(List<Report.Measurement> measurements) {
    StringBuilder sb = new StringBuilder();
    for (Report.Measurement m : measurements) {
      if (!m.query().equals(NO_OP)) {
        continue;
      }
      if (m.callers() == 1) {
        sb.append(String.format(Locale.ROOT, "goal p50 <= %.0f ms with 1 caller (round %d): %.3f ms, %s%n",
            Report.GOAL_P50_MS, m.round(), m.summary().p50Ms(),
            m.summary().p50Ms() <= Report.GOAL_P50_MS ? "met" : "NOT met"));
      } else if (m.callers() == 4) {
        sb.append(String.format(Locale.ROOT, "goal >= %.0f calls/s with 4 callers (round %d): %.0f, %s%n",
            Report.GOAL_CALLS_PER_SECOND_4, m.round(), m.summary().callsPerSecond(),
            m.summary().callsPerSecond() >= Report.GOAL_CALLS_PER_SECOND_4 ? "met" : "NOT met"));
      }
    }
    return sb.toString();
  }

  static void write(Path file, String json) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Files.writeString(file, json, StandardCharsets.UTF_8);
  }
}
