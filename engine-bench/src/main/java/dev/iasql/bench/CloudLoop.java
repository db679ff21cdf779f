package dev.iasql.bench;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cloud loop a user runs, timed and with its AWS requests counted: {@code iasql_apply()} of 50 new security
 * groups, and {@code iasql_sync()} with 200 groups and nothing to change. Against moto (which checks credentials), as
 * the database's tenant role, through SQL: embedded PostgreSQL, the engine with the AWS modules, a fresh database with
 * {@code aws_account} (moto's admin keys) and {@code aws_security_group}.
 *
 * <p>{@link CountingInterceptor} counts every HTTP attempt of every AWS client of the JVM; the bench resets it before
 * each measured call. It prints a report and writes it to {@code target/cloud-loop.txt}, and exits with 1 when a
 * correctness check fails (an error, apply not creating or deleting what it should, a sync that changes something, no
 * request counted at all). A goal missed is reported as MISS, and is not a failure.
 *
 * <p>System properties: {@code bench.cloud.runs} (5 measured applies, after 1 warm-up), {@code bench.cloud.syncs} (10
 * measured syncs, after 1 warm-up), {@code bench.cloud.out} (the report, {@code target/cloud-loop.txt}); for logback,
 * {@code bench.log} and {@code bench.engineLogLevel}.
 */
public final class CloudLoop {
  static final String APPLY = "SELECT * FROM iasql_apply()";
  static final String SYNC = "SELECT * FROM iasql_sync()";
  static final int APPLY_GROUPS = 50;
  static final int SYNC_GROUPS = 200;
  private static final String INSERT_GROUPS = "INSERT INTO security_group (description, group_name)"
      + " SELECT 'bench', ? || g FROM generate_series(1, ?) g";

  private CloudLoop() {}

  /** A correctness check that failed: the run goes on to the next scenario, and the bench exits with 1. */
  static final class CheckFailed extends Exception {
    private static final long serialVersionUID = 1L;

    CheckFailed(String message) {
      super(message);
    }
  }

  /** A call's rows, and its figures. */
  private record Call(List<Map<String, Object>> rows, Timed timed) {}

  public static void main(String[] args) throws Exception {
    int runs = Integer.getInteger("bench.cloud.runs", 5);
    int syncs = Integer.getInteger("bench.cloud.syncs", 10);
    Path out = Path.of(System.getProperty("bench.cloud.out", "target/cloud-loop.txt"));

    CloudRig rig = CloudRig.start();
    Moto moto = rig.moto();
    Engine engine = rig.engine();
    PostgresCluster postgres = rig.postgres();
    byte[] suffix = new byte[4];
    new SecureRandom().nextBytes(suffix);
    String name = "bench_cloud_" + HexFormat.of().formatHex(suffix);
    CreatedDatabase db = engine.createDatabase(name);
    List<String> failures = new ArrayList<>();
    List<Timed> applies = new ArrayList<>();
    List<Timed> cleanups = new ArrayList<>();
    List<Timed> syncRuns = new ArrayList<>();
    String text;
    try {
      Load.Login tenantLogin = new Load.Login(postgres.jdbcUrl(db.name()), db.pgUser(), db.pgPassword());
      try (Connection tenant = tenantLogin.open()) {
        String setup = "";
        boolean ready = false;
        try {
          setup = setup(tenant, moto.account());
          ready = true;
        } catch (SQLException | CheckFailed e) {
          failures.add("setup: " + describe(e));
        }
        List<String> regions = ready ? enabledRegions(tenant) : List.of();
        if (ready) {
          try {
            applyScenario(tenant, runs, applies, cleanups);
          } catch (SQLException | CheckFailed e) {
            failures.add("scenario 1: " + describe(e));
          }
          try {
            syncScenario(tenant, syncs, syncRuns);
          } catch (SQLException | CheckFailed e) {
            failures.add("scenario 2: " + describe(e));
          }
        }
        CloudLoopReport.Environment environment = new CloudLoopReport.Environment(
            BridgeRoundTrip.serverVersion(tenantLogin), Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"), moto.endpoint(), regions);
        text = new CloudLoopReport(environment)
            .note(setup)
            .apply(String.format(Locale.ROOT, "Scenario 1: apply %d new security groups (1 warm-up, %d measured)",
                APPLY_GROUPS, runs), applies, cleanups)
            .sync(String.format(Locale.ROOT, "Scenario 2: no-change sync, %d groups in the account (1 warm-up,"
                + " %d measured)", SYNC_GROUPS, syncs), syncRuns, regions.size())
            .failures(failures)
            .text();
      }
    } finally {
      engine.dropDatabase(name);
      engine.close();
    }
    System.out.println();
    System.out.print(text);
    BridgeRoundTrip.write(out, text);
    System.out.println("written to " + out.toAbsolutePath());
    if (!failures.isEmpty()) {
      System.exit(1);
    }
  }

  /**
   * Installs {@code aws_account}, inserts the keys, installs {@code aws_security_group} and applies to settle; checks
   * that the SDK loaded {@link CountingInterceptor}.
   *
   * @return a line on what setting up cost
   */
  static String setup(Connection tenant, Moto.Keys keys) throws SQLException, CheckFailed {
    AwsRequests.GLOBAL.reset();
    long start = System.nanoTime();
    Sql.rows(tenant, "SELECT * FROM iasql_install('aws_account')");
    Sql.exec(tenant, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
        keys.accessKeyId(), keys.secretAccessKey());
    Sql.rows(tenant, "SELECT * FROM iasql_install('aws_security_group')");
    List<Map<String, Object>> settled = Sql.rows(tenant, APPLY);
    long ms = (System.nanoTime() - start) / 1_000_000;
    AwsRequests.Snapshot requests = AwsRequests.GLOBAL.snapshot();
    if (requests.total() == 0) {
      throw new CheckFailed("no AWS request was counted while installing and applying: the SDK did not load "
          + CountingInterceptor.class.getName() + " (is software/amazon/awssdk/global/handlers/"
          + "execution.interceptors on the class path?); every request count would be wrong. Requests ever"
          + " counted in this JVM: " + AwsRequests.GLOBAL.ever());
    }
    return String.format(Locale.ROOT, "Setup (install aws_account, keys, install aws_security_group, apply; not"
        + " measured): %d ms, %d requests %s; the settling apply returned %d rows", ms, requests.total(),
        requests.byOperation(), settled.size());
  }

  /**
   * Scenario 1: each run inserts {@value #APPLY_GROUPS} groups and times the apply that creates them; then deletes
   * them and applies again (the cleanup, timed apart). Run 0 warms up and is not kept.
   */
  static void applyScenario(Connection tenant, int runs, List<Timed> measured, List<Timed> cleanups)
      throws SQLException, CheckFailed {
    for (int run = 0; run <= runs; run++) {
      String prefix = "bench-" + run + "-";
      Sql.exec(tenant, INSERT_GROUPS, prefix, APPLY_GROUPS);
      Call apply = call(tenant, APPLY);
      if (run > 0) {
        measured.add(apply.timed());
      }
      String what = run == 0 ? "warm-up apply" : "apply " + run;
      checkRequests(what, apply.timed());
      check(count(apply.rows(), "create", "security_group") == APPLY_GROUPS, what + " returned "
          + count(apply.rows(), "create", "security_group") + " security_group creates, not " + APPLY_GROUPS
          + ": " + summary(apply.rows()));
      long created = number(tenant, "SELECT count(*) FROM security_group WHERE group_name LIKE ? || '%'"
          + " AND group_id LIKE 'sg-%'", prefix);
      check(created == APPLY_GROUPS, what + ": " + created + " of the " + APPLY_GROUPS + " rows have a group_id");

      Sql.exec(tenant, "DELETE FROM security_group_rule WHERE security_group_id IN"
          + " (SELECT id FROM security_group WHERE group_name LIKE ? || '%')", prefix);
      Sql.exec(tenant, "DELETE FROM security_group WHERE group_name LIKE ? || '%'", prefix);
      Call cleanup = call(tenant, APPLY);
      if (run > 0) {
        cleanups.add(cleanup.timed());
      }
      check(count(cleanup.rows(), "delete", "security_group") == APPLY_GROUPS, "the cleanup after " + what
          + " returned " + count(cleanup.rows(), "delete", "security_group") + " security_group deletes, not "
          + APPLY_GROUPS + ": " + summary(cleanup.rows()));
    }
    List<Map<String, Object>> left = Sql.rows(tenant, "SELECT * FROM iasql_preview_sync()");
    check(left.isEmpty(), "after scenario 1 the account and the database differ: iasql_preview_sync() returned "
        + summary(left));
  }

  /**
   * Scenario 2: inserts {@value #SYNC_GROUPS} groups and applies (not measured), then times syncs, each of which must
   * change nothing. Sync 0 warms up and is not kept.
   */
  static void syncScenario(Connection tenant, int syncs, List<Timed> measured) throws SQLException, CheckFailed {
    Sql.exec(tenant, INSERT_GROUPS, "bench-sync-", SYNC_GROUPS);
    Call apply = call(tenant, APPLY);
    check(count(apply.rows(), "create", "security_group") == SYNC_GROUPS, "the apply of " + SYNC_GROUPS
        + " groups returned " + count(apply.rows(), "create", "security_group") + " security_group creates: "
        + summary(apply.rows()));
    List<String> changed = new ArrayList<>();
    for (int i = 0; i <= syncs; i++) {
      Call sync = call(tenant, SYNC);
      if (i > 0) {
        measured.add(sync.timed());
      }
      String what = i == 0 ? "warm-up sync" : "sync " + i;
      checkRequests(what, sync.timed());
      if (!sync.rows().isEmpty()) {
        changed.add(what + " returned " + summary(sync.rows()));
      }
    }
    check(changed.isEmpty(), "a sync with nothing to change changed something: " + changed);
  }

  /** Runs a call with the request log reset, timed on this side of JDBC, all rows read. */
  private static Call call(Connection tenant, String sql) throws SQLException {
    AwsRequests.GLOBAL.reset();
    long start = System.nanoTime();
    List<Map<String, Object>> rows = Sql.rows(tenant, sql);
    long nanos = System.nanoTime() - start;
    return new Call(rows, new Timed(nanos, rows.size(), AwsRequests.GLOBAL.snapshot()));
  }

  private static void checkRequests(String what, Timed t) throws CheckFailed {
    check(t.total() > 0, what + " counted no AWS request: the interceptor is not seeing the engine's clients");
  }

  private static void check(boolean ok, String message) throws CheckFailed {
    if (!ok) {
      throw new CheckFailed(message);
    }
  }

  static long count(List<Map<String, Object>> rows, String action, String table) {
    return rows.stream().filter(r -> action.equals(r.get("action")) && table.equals(r.get("table_name"))).count();
  }

  /** Rows of apply or sync as counts of (action, table), for messages. */
  static Map<String, Long> summary(List<Map<String, Object>> rows) {
    Map<String, Long> out = new TreeMap<>();
    rows.forEach(r -> out.merge(r.get("action") + " " + r.get("table_name"), 1L, Long::sum));
    return out;
  }

  private static long number(Connection tenant, String sql, Object... args) throws SQLException {
    return ((Number) Sql.value(tenant, sql, args)).longValue();
  }

  private static List<String> enabledRegions(Connection tenant) throws SQLException {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> r : Sql.rows(tenant, "SELECT region FROM aws_regions WHERE is_enabled ORDER BY region")) {
      out.add(String.valueOf(r.get("region")));
    }
    return out;
  }

  private static String describe(Exception e) {
    if (e instanceof SQLException s) {
      return "SQLSTATE " + s.getSQLState() + ": " + s.getMessage();
    }
    return String.valueOf(e.getMessage());
  }
}
