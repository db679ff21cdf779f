package dev.iasql.aws.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import dev.iasql.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;

/** What install, sync, apply and the audit log tell a user, checked against what really happened; as the tenant. */
@ExtendWith(IasqlExtension.class)
class TruthfulResultsTest {
  private static final String REGION = "us-east-1";

  @Test
  void installReportsTheRowsEachTableHoldsAfterTheImport(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account())) {
      List<Map<String, Object>> installed = c.rows("SELECT * FROM iasql_install('aws_vpc')");
      for (Map<String, Object> row : installed) {
        String table = (String) row.get("created_table_name");
        long rows = ((Number) c.value("SELECT (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n"
            + " FROM public.%I', ?::text), false, true, '')))[1]::text::bigint", table)).longValue();
        assertThat(((Number) row.get("record_count")).longValue()).as(table).isEqualTo(rows);
      }
      assertThat(installed).filteredOn(r -> r.get("created_table_name").equals("subnet"))
          .extracting(r -> ((Number) r.get("record_count")).longValue()).first().asInstanceOf(
              org.assertj.core.api.InstanceOfAssertFactories.LONG).isPositive();
    }
  }

  @Test
  void syncNamesTheIdOfEveryRowItCreates(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_vpc")) {
      String vpcId = c.ec2(REGION).createVpc(r -> r.cidrBlock("10.77.0.0/16")).vpc().vpcId();
      try {
        List<Map<String, Object>> synced = c.sync();
        Object rowId = c.value("SELECT id FROM vpc WHERE vpc_id = ?", vpcId);
        assertThat(synced).filteredOn(r -> r.get("table_name").equals("vpc") && r.get("action").equals("create"))
            .extracting(r -> r.get("id"), r -> r.get("description"))
            .contains(org.assertj.core.groups.Tuple.tuple(rowId, vpcId));
        assertThat(synced).filteredOn(r -> r.get("action").equals("create")).extracting(r -> r.get("id"))
            .as("every created row of a table with ids names it").doesNotContainNull();
      } finally {
        c.ec2(REGION).deleteVpc(r -> r.vpcId(vpcId));
      }
    }
  }

  @Test
  void cloudModulesInstallWithoutCredentialsAndTheNextSyncLoadsThem(TestDatabase db) throws Exception {
    try (Connection tenant = db.tenant(); Statement s = tenant.createStatement()) {
      s.executeQuery("SELECT * FROM iasql_install('aws_security_group')").close();
      assertThat(notices(s)).anySatisfy(n -> assertThat(n).contains("aws_credentials", "iasql_sync()"));
      assertThat(Sql.value(tenant, "SELECT count(*) FROM vpc")).as("created empty").isEqualTo(0L);
      assertThat(Sql.rows(tenant, "SELECT * FROM iasql_modules_installed()")).extracting(r -> r.get("module_name"))
          .contains("aws_account", "aws_vpc", "aws_security_group");
      Moto.Keys keys = Moto.start().account();
      Sql.exec(tenant, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
          keys.accessKeyId(), keys.secretAccessKey());
      Sql.rows(tenant, "SELECT * FROM iasql_sync()");
      assertThat(Sql.value(tenant, "SELECT count(*) FROM vpc WHERE is_default AND region = ?", REGION))
          .isEqualTo(1L);
      assertThat(Sql.value(tenant, "SELECT count(*) FROM security_group WHERE group_name = 'default'"))
          .isEqualTo(1L);
    }
  }

  @Test
  void atTheOlderReleaseEveryMessageNamesThatReleasesTables(TestDatabases dbs) throws Exception {
    TestDatabase db = dbs.createAt(ReleaseCatalog.V0_0_18);
    try (Connection tenant = db.tenant(); Statement s = tenant.createStatement()) {
      PSQLException noAccount = Sql.failure(tenant, "SELECT * FROM iasql_apply()");
      assertThat(noAccount.getSQLState()).isEqualTo("IQ504");
      assertThat(Sql.hint(noAccount)).contains("aws_account").doesNotContain("aws_credentials");
      s.executeQuery("SELECT * FROM iasql_install('aws_account')").close();
      s.executeQuery("SELECT * FROM iasql_install('aws_security_group')").close();
      assertThat(notices(s)).isNotEmpty().noneSatisfy(n -> assertThat(n).contains("aws_credentials"))
          .anySatisfy(n -> assertThat(n).contains("INSERT INTO aws_account"));
      PSQLException noKeys = Sql.failure(tenant, "SELECT * FROM iasql_apply()");
      assertThat(noKeys.getSQLState()).isEqualTo("IQ501");
      assertThat(noKeys.getMessage() + Sql.hint(noKeys)).contains("aws_account").doesNotContain("aws_credentials");
    }
  }

  @Test
  void rowsOfADisabledRegionAreNamedNotSilentlySkipped(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_security_group");
        Statement s = c.tenant().createStatement()) {
      c.apply();
      String name = "far-" + UUID.randomUUID();
      c.exec("INSERT INTO security_group (description, group_name, region) VALUES ('far away', ?, 'eu-west-3')",
          name);
      c.exec("INSERT INTO security_group (description, group_name, region) VALUES ('far away', ?, 'eu-west-3')",
          name + "-2");
      s.executeQuery("SELECT * FROM iasql_preview_apply()").close();
      assertThat(notices(s)).anySatisfy(n -> assertThat(n).contains("2 rows", "eu-west-3", "not enabled",
          "UPDATE aws_regions SET is_enabled = true WHERE region = 'eu-west-3'"));
      s.clearWarnings();
      s.executeQuery("SELECT * FROM iasql_apply()").close();
      assertThat(notices(s)).anySatisfy(n -> assertThat(n).contains("2 rows", "eu-west-3"));
      s.clearWarnings();
      s.executeQuery("SELECT * FROM iasql_sync()").close();
      assertThat(notices(s)).anySatisfy(n -> assertThat(n).contains("2 rows", "eu-west-3"));
    }
  }

  @Test
  void theAuditLogLinksTheEnginesWritesToTheirOperation(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_security_group")) {
      c.apply();
      String name = "audited-" + UUID.randomUUID();
      Object someOperation = c.value("SELECT opid::text FROM iasql_operation ORDER BY id LIMIT 1");
      // A tenant cannot pass its own writes off as the engine's.
      c.exec("SELECT set_config('iasql.operation_id', ?, false)", someOperation);
      c.exec("INSERT INTO security_group (description, group_name) VALUES ('audited', ?)", name);
      c.exec("RESET iasql.operation_id");
      c.apply();
      List<Map<String, Object>> trail = c.rows("SELECT a.change_type::text AS change_type, o.optype, o.requested_by,"
          + " a.operation_id IS NULL AS by_hand FROM iasql_audit_log a"
          + " LEFT JOIN iasql_operation o ON o.opid = a.operation_id"
          + " WHERE a.table_name = 'security_group' AND a.change::text LIKE ? ORDER BY a.id", "%" + name + "%");
      assertThat(trail).extracting(r -> r.get("change_type"), r -> r.get("optype"), r -> r.get("by_hand"))
          .containsExactly(org.assertj.core.groups.Tuple.tuple("INSERT", null, true),
              org.assertj.core.groups.Tuple.tuple("UPDATE", "APPLY", false));
      assertThat(trail.get(1).get("requested_by")).isEqualTo(db.created().pgUser());
    }
  }

  @Test
  void aDatabaseMadeBeforeTheOperationColumnGetsItOnTheEnginesFirstCall(TestDatabase db) throws Exception {
    try (Connection admin = db.admin()) {
      Sql.exec(admin, "ALTER TABLE iasql_audit_log DROP COLUMN operation_id");
    }
    try (Connection tenant = db.tenant()) {
      Sql.rows(tenant, "SELECT * FROM iasql_install('aws_account')");
      Sql.exec(tenant, "INSERT INTO aws_regions (region) VALUES ('xx-test-1')");
      assertThat(Sql.rows(tenant, "SELECT operation_id FROM iasql_audit_log WHERE table_name = 'aws_regions'"))
          .singleElement().satisfies(r -> assertThat(r.get("operation_id")).isNull());
    }
  }

  private static List<String> notices(Statement s) throws Exception {
    List<String> out = new ArrayList<>();
    for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
      out.add(w.getMessage());
    }
    return out;
  }
}
