package dev.iasql.aws.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.Module;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import dev.iasql.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The upgrade chain: from every release older than the latest, a database with every module of its release installed
 * and rows in their tables, applied and not, reaches the latest in one {@code iasql_upgrade()}, keeping every row and
 * leaving the unapplied ones unapplied (the preview still shows them); then the latest's modules install and apply
 * works. A new release joins this test by being in the catalogue; a table it adds needs a seed here once a newer
 * release exists (the test names the empty table).
 */
@ExtendWith(IasqlExtension.class)
class UpgradeChainTest {
  private static final ReleaseCatalog RELEASES = ReleaseCatalog.standard();
  private static final String REGION = "us-east-1";

  /** The releases an upgrade starts from: every one the engine upgrades, but the latest. */
  static Stream<String> olderReleases() {
    return RELEASES.known().stream().filter(r -> !r.equals(RELEASES.latest()));
  }

  @ParameterizedTest(name = "from {0}")
  @MethodSource("olderReleases")
  void everyModuleOfAnOlderReleaseReachesTheLatestKeepingItsRows(String release, TestDatabases dbs)
      throws Exception {
    Moto.Keys keys = Moto.start().account();
    TestDatabase db = dbs.createAt(release);
    String mark = UUID.randomUUID().toString().substring(0, 8);
    try (Connection t = db.tenant()) {
      Sql.rows(t, "SELECT * FROM iasql_install('aws_account')");
      if (exists(t, "aws_account")) { // 0.0.18 keeps keys and region in one table
        Sql.exec(t, "INSERT INTO aws_account (access_key_id, secret_access_key, region) VALUES (?, ?, ?)",
            keys.accessKeyId(), keys.secretAccessKey(), REGION);
      } else {
        Sql.exec(t, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
            keys.accessKeyId(), keys.secretAccessKey());
      }
      List<String> modules = modulesOf(release);
      Sql.rows(t, "SELECT * FROM iasql_install(VARIADIC ?::text[])", (Object) modules.toArray(String[]::new));
      assertThat(Sql.rows(t, "SELECT module_name FROM iasql_modules_installed()")).extracting(r -> r.get(
          "module_name")).as("every module of " + release).containsAll(modules);
      for (String newer : modulesOf(RELEASES.latest())) {
        if (!modules.contains(newer)) {
          assertThat(Sql.failure(t, "SELECT * FROM iasql_install(?)", newer).getMessage())
              .as(release + " stays as it was: no " + newer).contains(newer);
        }
      }

      // Applied: what the installs imported (default VPC, its default group), and a group made here.
      Sql.exec(t, "INSERT INTO security_group (description, group_name) VALUES ('applied', ?)", "applied-" + mark);
      Sql.rows(t, "SELECT * FROM iasql_apply()");
      // Not applied, in each module's tables: the upgrade must keep them so.
      Sql.exec(t, "INSERT INTO vpc (cidr_block) VALUES ('10.42.0.0/16')");
      Sql.exec(t, "INSERT INTO security_group (description, group_name) VALUES ('pending', ?)", "pending-" + mark);
      Sql.exec(t, "INSERT INTO security_group_rule (is_egress, ip_protocol, from_port, to_port, cidr_ipv4,"
          + " security_group_id) SELECT false, 'tcp', 22, 22, '10.0.0.0/8', id FROM security_group"
          + " WHERE group_name = ?", "pending-" + mark);
      if (exists(t, "log_group")) { // the kit's modules, from 0.0.21
        Sql.exec(t, "INSERT INTO log_group (log_group_name) VALUES (?)", "pending-" + mark);
        Sql.exec(t, "INSERT INTO queue (name) VALUES (?)", "pending-" + mark);
        Sql.exec(t, "INSERT INTO secret (name, value) VALUES (?, 'kept')", "pending-" + mark);
      }
      Map<String, Object> before = contents(t);
      assertThat(before).as("rows in every table of " + release + "'s modules; a table without one needs a seed"
          + " above").allSatisfy((table, rows) -> assertThat((String) rows).as(table).doesNotStartWith("0 rows"));
      List<String> pendingBefore = pending(t);
      assertThat(pendingBefore).as("the preview before").contains("create security_group", "create vpc",
          "create security_group_rule");

      assertThat((String) Sql.value(t, "SELECT iasql_upgrade()"))
          .contains("upgraded from release " + release + " to " + RELEASES.latest());

      assertThat(Sql.value(t, "SELECT * FROM iasql_version()")).isEqualTo(RELEASES.latest());
      assertThat(Sql.rows(t, "SELECT module_version FROM iasql_modules_installed()"))
          .extracting(r -> r.get("module_version")).containsOnly(RELEASES.latest());
      Map<String, Object> after = contents(t);
      before.keySet().retainAll(after.keySet()); // 0.0.18's aws_account becomes aws_credentials (UpgradeTest)
      assertThat(after).as("every row kept as it was").containsAllEntriesOf(before);
      assertThat(pending(t)).as("the unapplied rows are still unapplied").isEqualTo(pendingBefore);
      assertThat(Sql.value(t, "SELECT group_id FROM security_group WHERE group_name = ?", "pending-" + mark))
          .isNull();

      // And the latest release works: its own modules install, and apply creates what was pending. Not the VPC:
      // the JVM's moto account must keep one VPC per region, which other tests count.
      Sql.rows(t, "SELECT * FROM iasql_install(VARIADIC ?::text[])",
          (Object) modulesOf(RELEASES.latest()).toArray(String[]::new));
      Sql.exec(t, "DELETE FROM vpc WHERE cidr_block = '10.42.0.0/16' AND vpc_id IS NULL");
      Sql.rows(t, "SELECT * FROM iasql_apply()");
      assertThat(Sql.value(t, "SELECT group_id FROM security_group WHERE group_name = ?", "pending-" + mark))
          .as("applied at the new release").isNotNull();
      assertThat(Sql.value(t, "SELECT iasql_upgrade()")).isEqualTo("Up to date");
    }
  }

  /** The modules a release ships (platform modules aside: every database has them). */
  private static List<String> modulesOf(String release) {
    return ServiceLoader.load(Module.class).stream().map(ServiceLoader.Provider::get)
        .filter(m -> !m.platform() && m.version().equals(release)).map(m -> m.name().value()).sorted().toList();
  }

  private static boolean exists(Connection t, String table) throws SQLException {
    return Sql.value(t, "SELECT to_regclass(?)", "public." + table) != null;
  }

  /**
   * Each table of the installed modules (the platform's aside, whose logs grow) as its row count and a digest of its
   * rows, as the tenant sees them: equal digests, equal rows.
   */
  private static Map<String, Object> contents(Connection t) throws SQLException {
    Map<String, Object> contents = new TreeMap<>();
    // One query, the table names quoted by format's %I: query_to_xml runs each table's.
    for (Map<String, Object> r : Sql.rows(t, "SELECT \"table\" AS t, (xpath('/row/d/text()', query_to_xml(format("
        + "'SELECT count(*) || '' rows, md5 '' || coalesce(md5(string_agg(x::text, '','' ORDER BY x::text)), '''')"
        + " AS d FROM public.%I x', \"table\"), false, true, '')))[1]::text AS d"
        + " FROM iasql_tables WHERE module NOT LIKE 'iasql\\_%'")) {
      contents.put((String) r.get("t"), r.get("d"));
    }
    return contents;
  }

  /** What the next apply would do, as action and table, sorted. */
  private static List<String> pending(Connection t) throws SQLException {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> r : Sql.rows(t, "SELECT action, table_name FROM iasql_preview_apply()")) {
      out.add(r.get("action") + " " + r.get("table_name"));
    }
    return out.stream().sorted().toList();
  }
}
