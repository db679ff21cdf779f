package dev.iasql.bench;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.DatabaseInfo;
import dev.iasql.engine.Engine;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The in-place upgrade from the oldest release to the latest, timed: a database created at 0.0.18 with every module
 * of that release installed ({@code aws_account}, {@code aws_vpc}, {@code aws_security_group}) and 10,000 rows in its
 * module tables, moved to the latest by the tenant's {@code SELECT iasql_upgrade()}. Against moto (the installs import
 * the default VPC and its groups, and the upgrade loads the region list), through SQL, as the database's tenant.
 *
 * <p>Each run creates a fresh database at 0.0.18; as its tenant installs {@code aws_account}, inserts moto's keys and
 * the region into {@code aws_account}, installs {@code aws_vpc} and {@code aws_security_group}; then inserts security
 * groups and rules, not applied (the upgrade must not need the cloud for them), so that the module tables hold the
 * target number of rows (see {@link RowPlan}); then times {@code SELECT iasql_upgrade()} and checks the result: the
 * release and every module at the latest, every table's rows unchanged, the keys in {@code aws_credentials}, the old
 * region the default. The engine's progress lines split the time into phases ({@link ProgressLog}).
 *
 * <p>It prints a report and writes it to {@code target/upgrade.txt}, and exits with 1 when a check fails. A goal
 * missed is reported as MISS, and is not a failure.
 *
 * <p>System properties: {@code bench.upgrade.runs} (3 measured runs, after 1 warm-up), {@code bench.upgrade.rows}
 * (10000 rows in the module tables), {@code bench.upgrade.groups} (1000 security groups; rules make up the rest),
 * {@code bench.upgrade.region} ({@code eu-west-2}: not the fallback, so a lost region shows), {@code
 * bench.upgrade.out} (the report); for logback, {@code bench.log} and {@code bench.engineLogLevel}.
 */
public final class UpgradeBench {
  static final String UPGRADE = "SELECT iasql_upgrade()";
  /** The description of every row the bench inserts. */
  static final String MARK = "upgrade-bench";

  private static final String INSERT_GROUPS = "INSERT INTO security_group (description, group_name, vpc_id)"
      + " SELECT ?, ? || g, CASE WHEN g % 2 = 0 THEN ?::integer END FROM generate_series(1, ?) g";
  /**
   * Rules per group: the group of rank n (by id) gets {@code base} rules, one more when n is below {@code extra}.
   * Rule k of a group has its own {@code 10.(k / 256).(k % 256).0/24}, so the rules of a group never collide under
   * the unique constraint; ports, protocol and direction vary as in real groups. Valid under 0.0.18's CHECK: no
   * source group, both ports and an IPv4 range set.
   */
  private static final String INSERT_RULES = """
      INSERT INTO security_group_rule (is_egress, ip_protocol, from_port, to_port, cidr_ipv4, description,
        security_group_id)
      SELECT k % 4 = 3, CASE WHEN k % 3 = 2 THEN 'udp' ELSE 'tcp' END,
        (ARRAY[22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9090])[k % 9 + 1],
        (ARRAY[22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9090])[k % 9 + 1],
        ('10.' || (k / 256) || '.' || (k % 256) || '.0/24')::cidr, ?, g.id
      FROM (SELECT id, (row_number() OVER (ORDER BY id))::integer - 1 AS n FROM security_group
            WHERE description = ?) g
      CROSS JOIN LATERAL generate_series(0, ? - 1 + CASE WHEN g.n < ? THEN 1 ELSE 0 END) AS k
      """;
  /** Rows of every module table (platform tables left out), counted in one statement. */
  private static final String COUNT_ROWS = """
      SELECT t AS table_name, (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM public.%I', t),
        false, true, '')))[1]::text::bigint AS n
      FROM (SELECT DISTINCT "table" AS t FROM iasql_tables WHERE split_part(module, '@', 1) <> 'iasql_platform') x
      """;

  private UpgradeBench() {}

  /** What one run is made of. */
  record Settings(long targetRows, int groups, String region) {}

  public static void main(String[] args) throws Exception {
    int runs = Integer.getInteger("bench.upgrade.runs", 3);
    Settings settings = new Settings(Long.getLong("bench.upgrade.rows", 10_000L),
        Integer.getInteger("bench.upgrade.groups", 1_000), System.getProperty("bench.upgrade.region", "eu-west-2"));
    Path out = Path.of(System.getProperty("bench.upgrade.out", "target/upgrade.txt"));

    ProgressLog progress = ProgressLog.attach();
    CloudRig rig = CloudRig.start();
    Moto moto = rig.moto();
    Engine engine = rig.engine();
    PostgresCluster postgres = rig.postgres();

    List<String> failures = new ArrayList<>();
    List<UpgradeReport.Run> measured = new ArrayList<>();
    UpgradeReport.Run warmup = null;
    RowPlan plan = null;
    String postgresVersion = "?";
    try {
      for (int run = 0; run <= runs; run++) {
        String what = run == 0 ? "warm-up" : "run " + run;
        try {
          Outcome o = oneRun(engine, postgres, moto.account(), settings, progress);
          plan = o.plan();
          postgresVersion = o.postgresVersion();
          if (run == 0) {
            warmup = o.run();
          } else {
            measured.add(o.run());
          }
          System.out.printf(Locale.ROOT, "%s: iasql_upgrade() %.2f s, rows %d -> %d%n", what, o.run().seconds(),
              o.run().totalBefore(), o.run().totalAfter());
        } catch (SQLException | CloudLoop.CheckFailed | RuntimeException e) {
          failures.add(what + ": " + describe(e));
          System.out.println(what + " FAILED: " + describe(e));
        }
      }
    } finally {
      engine.close();
    }

    UpgradeReport.Environment environment = new UpgradeReport.Environment(postgresVersion,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), moto.endpoint(),
        settings.region());
    String text = new UpgradeReport(environment, setupLine(settings, plan))
        .runs(String.format(Locale.ROOT, "Upgrade of a database with every module and %d rows (1 warm-up, %d"
            + " measured, each on a fresh database)", settings.targetRows(), runs), measured, warmup)
        .failures(failures)
        .text();
    System.out.println();
    System.out.print(text);
    BridgeRoundTrip.write(out, text);
    System.out.println("written to " + out.toAbsolutePath());
    if (!failures.isEmpty()) {
      System.exit(1);
    }
  }

  private record Outcome(UpgradeReport.Run run, RowPlan plan, String postgresVersion) {}

  /** One database: create at 0.0.18, fill, upgrade (timed), check; dropped afterwards whatever happened. */
  private static Outcome oneRun(Engine engine, PostgresCluster postgres, Moto.Keys keys, Settings settings,
      ProgressLog progress) throws SQLException, CloudLoop.CheckFailed {
    byte[] suffix = new byte[4];
    new SecureRandom().nextBytes(suffix);
    String name = "bench_upgrade_" + HexFormat.of().formatHex(suffix);
    long setupStart = System.nanoTime();
    CreatedDatabase db = engine.createDatabase(name, ReleaseCatalog.V0_0_18);
    try {
      Load.Login tenantLogin = new Load.Login(postgres.jdbcUrl(db.name()), db.pgUser(), db.pgPassword());
      Load.Login adminLogin = new Load.Login(postgres.jdbcUrl(db.name()), postgres.adminUser(),
          postgres.adminPassword());
      try (Connection tenant = tenantLogin.open(); Connection admin = adminLogin.open()) {
        check(ReleaseCatalog.V0_0_18.equals(Sql.value(tenant, "SELECT * FROM iasql_version()")),
            "a database created at 0.0.18 reports " + Sql.value(tenant, "SELECT * FROM iasql_version()"));
        RowPlan plan = fill(tenant, admin, keys, settings);
        Map<String, Long> before = counts(admin);
        long total = before.values().stream().mapToLong(Long::longValue).sum();
        check(total == plan.total(), "the module tables hold " + total + " rows, not the " + plan.total()
            + " planned: " + before);
        Map<String, String> modulesBefore = modules(tenant);
        check(!modulesBefore.isEmpty() && modulesBefore.values().stream().allMatch(ReleaseCatalog.V0_0_18::equals),
            "before the upgrade the modules are not all at 0.0.18: " + modulesBefore);
        long auditRows = number(admin, "SELECT count(*) FROM iasql_audit_log");
        long setupNanos = System.nanoTime() - setupStart;

        progress.drain();
        AwsRequests.GLOBAL.reset();
        long start = System.nanoTime();
        Object message = Sql.value(tenant, UPGRADE);
        long end = System.nanoTime();
        AwsRequests.Snapshot requests = AwsRequests.GLOBAL.snapshot();
        List<UpgradePhases.Phase> phases = UpgradePhases.split(start, progress.drain(), end, name);

        Map<String, Long> after = counts(admin);
        verify(engine, tenant, name, keys, settings.region(), String.valueOf(message), modulesBefore, before, after,
            plan);
        check(requests.writes().isEmpty(), "the upgrade wrote to the cloud: " + requests.byOperation());
        return new Outcome(new UpgradeReport.Run(end - start, setupNanos, before, after, auditRows, modulesBefore,
            String.valueOf(message), requests, phases), plan, BridgeRoundTrip.serverVersion(tenantLogin));
      }
    } finally {
      engine.dropDatabase(name);
    }
  }

  /**
   * As the tenant: installs every module of 0.0.18 with moto's keys and the region, then inserts groups and rules so
   * that the module tables hold the target number of rows.
   */
  static RowPlan fill(Connection tenant, Connection admin, Moto.Keys keys, Settings settings)
      throws SQLException, CloudLoop.CheckFailed {
    Sql.rows(tenant, "SELECT * FROM iasql_install('aws_account')");
    Sql.exec(tenant, "INSERT INTO aws_account (access_key_id, secret_access_key, region) VALUES (?, ?, ?)",
        keys.accessKeyId(), keys.secretAccessKey(), settings.region());
    Sql.rows(tenant, "SELECT * FROM iasql_install('aws_vpc', 'aws_security_group')");
    List<String> notInstalled = new ArrayList<>();
    Map<String, String> installed = modules(tenant);
    for (Map<String, Object> m : Sql.rows(tenant, "SELECT module_name FROM iasql_modules_list() ORDER BY 1")) {
      if (!installed.containsKey(String.valueOf(m.get("module_name")))) {
        notInstalled.add(String.valueOf(m.get("module_name")));
      }
    }
    check(notInstalled.isEmpty(), "not every module of 0.0.18 is installed: " + notInstalled + " is not");
    List<Map<String, Object>> defaultVpc = Sql.rows(tenant, "SELECT id FROM vpc WHERE is_default AND region = ?",
        settings.region());
    check(defaultVpc.size() == 1, "installing aws_vpc imported " + defaultVpc.size() + " default VPCs in "
        + settings.region() + ", not 1");
    RowPlan plan = RowPlan.of(settings.targetRows(), counts(admin).values().stream().mapToLong(Long::longValue).sum(),
        settings.groups());
    Sql.exec(tenant, INSERT_GROUPS, MARK, MARK + "-", defaultVpc.get(0).get("id"), plan.groups());
    Sql.exec(tenant, INSERT_RULES, MARK, MARK, plan.rules() / plan.groups(), plan.rules() % plan.groups());
    return plan;
  }

  /** The checks after an upgrade; the first that fails is thrown. */
  private static void verify(Engine engine, Connection tenant, String name, Moto.Keys keys, String region,
      String message, Map<String, String> modulesBefore, Map<String, Long> before, Map<String, Long> after,
      RowPlan plan) throws SQLException, CloudLoop.CheckFailed {
    String to = engine.releases().latest();
    check(message.contains("upgraded from release 0.0.18 to " + to), "iasql_upgrade() returned: " + message);
    Object version = Sql.value(tenant, "SELECT * FROM iasql_version()");
    check(to.equals(version), "after the upgrade iasql_version() is " + version + ", not " + to);
    Map<String, String> modulesAfter = modules(tenant);
    check(modulesAfter.keySet().equals(modulesBefore.keySet())
        && modulesAfter.values().stream().allMatch(to::equals), "after the upgrade the installed modules are "
        + modulesAfter + "; before: " + modulesBefore);
    List<String> changed = new ArrayList<>();
    before.forEach((table, n) -> {
      if (!"aws_account".equals(table) && !Objects.equals(after.get(table), n)) {
        changed.add(table + " " + n + " -> " + after.get(table));
      }
    });
    check(changed.isEmpty(), "the upgrade changed the rows of " + changed);
    check(!after.containsKey("aws_account") && Objects.equals(after.get("aws_credentials"), before.get("aws_account")),
        "aws_account's " + before.get("aws_account") + " rows did not move to aws_credentials: " + after);
    long unapplied = number(tenant, "SELECT count(*) FROM security_group WHERE description = ? AND group_id IS NULL",
        MARK);
    check(unapplied == plan.groups(), "of the bench's " + plan.groups() + " unapplied groups, " + unapplied
        + " are still there and unapplied");
    List<Map<String, Object>> credentials = Sql.rows(tenant,
        "SELECT access_key_id, secret_access_key FROM aws_credentials");
    check(credentials.equals(List.of(Map.of("access_key_id", keys.accessKeyId(), "secret_access_key",
        keys.secretAccessKey()))), "aws_credentials does not hold exactly moto's keys: " + credentials.size()
        + " rows");
    Object defaultRegion = Sql.value(tenant, "SELECT default_aws_region()");
    check(region.equals(defaultRegion), "default_aws_region() is " + defaultRegion + ", not " + region);
    Object enabled = Sql.value(tenant, "SELECT array_agg(region ORDER BY region) FROM aws_regions WHERE is_enabled");
    check(List.of(region).equals(enabled), "the enabled regions are " + enabled + ", not [" + region + "]");
    String state = engine.listDatabases().stream().filter(d -> d.name().equals(name))
        .map(UpgradeBench::state).findFirst().orElse("missing");
    check((to + "/idle").equals(state), "the engine records the database as " + state + ", not " + to + "/idle");
  }

  /** Rows of every module table, by table. */
  static Map<String, Long> counts(Connection admin) throws SQLException {
    Map<String, Long> out = new TreeMap<>();
    for (Map<String, Object> r : Sql.rows(admin, COUNT_ROWS)) {
      out.put(String.valueOf(r.get("table_name")), ((Number) Objects.requireNonNull(r.get("n"))).longValue());
    }
    return out;
  }

  /** Installed modules and their versions. */
  private static Map<String, String> modules(Connection tenant) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map<String, Object> r : Sql.rows(tenant,
        "SELECT module_name, module_version FROM iasql_modules_installed() ORDER BY module_name")) {
      out.put(String.valueOf(r.get("module_name")), String.valueOf(r.get("module_version")));
    }
    return out;
  }

  static String setupLine(Settings settings, @Nullable RowPlan plan) {
    String rows = plan == null ? "(no run got that far)"
        : String.format(Locale.ROOT, "%d security groups (half in the default VPC) and %d rules, inserted and not"
            + " applied, on top of the %d rows the installs left", plan.groups(), plan.rules(), plan.existing());
    return String.format(Locale.ROOT, "Each run: a fresh database at 0.0.18; as its tenant iasql_install('aws_account'),"
        + " moto's keys and %s into aws_account, iasql_install('aws_vpc', 'aws_security_group') (imports from moto);"
        + " then %s, so that the module tables hold %d rows; then the timed upgrade, and the checks.",
        settings.region(), rows, settings.targetRows());
  }

  private static void check(boolean ok, String message) throws CloudLoop.CheckFailed {
    if (!ok) {
      throw new CloudLoop.CheckFailed(message);
    }
  }

  private static long number(Connection c, String sql, Object... args) throws SQLException {
    return ((Number) Sql.value(c, sql, args)).longValue();
  }

  private static String describe(Exception e) {
    if (e instanceof SQLException s) {
      return "SQLSTATE " + s.getSQLState() + ": " + s.getMessage();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** How the engine records a database: its release and upgrade state, such as {@code 0.0.20/idle}. */
  static String state(DatabaseInfo d) {
    return d.release() + "/" + d.upgradeState();
  }
}
