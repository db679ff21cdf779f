package dev.iasql.aws.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.aws.vpc.AwsTestDb;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;

/**
 * A tenant keeps its own tables, views, functions and indexes in its database beside the module tables (in a schema
 * of its own, first on its search_path), while the platform tables stay the engine's: an audit log its subject could
 * rewrite would prove nothing.
 */
@ExtendWith(IasqlExtension.class)
class TenantOwnsItsDatabaseTest {
  private static final String INSUFFICIENT_PRIVILEGE = "42501";

  @Test
  void aTenantCreatesItsOwnObjectsAndJoinsThemWithModuleTables(TestDatabase db) throws SQLException {
    try (Connection c = db.tenant()) {
      AwsTestDb.installAwsAccount(c);
      Sql.exec(c, "INSERT INTO aws_regions (region) VALUES ('eu-west-1'), ('us-east-1')");
      Sql.exec(c, "CREATE TABLE team_regions (region text PRIMARY KEY, team text NOT NULL)");
      Sql.exec(c, "CREATE INDEX ON team_regions (team)");
      Sql.exec(c, "INSERT INTO team_regions VALUES ('eu-west-1', 'payments')");
      Sql.exec(c, "CREATE VIEW owned_regions AS SELECT r.region, t.team FROM aws_regions r JOIN team_regions t"
          + " USING (region)");
      Sql.exec(c, "CREATE FUNCTION team_of(r text) RETURNS text LANGUAGE sql AS"
          + " 'SELECT team FROM team_regions WHERE region = r'");
      assertThat(Sql.rows(c, "SELECT region, team, team_of(region) AS f FROM owned_regions"))
          .containsExactly(java.util.Map.of("region", "eu-west-1", "team", "payments", "f", "payments"));
      assertThat(Sql.value(c, "SELECT n.nspname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE c.relname = 'owned_regions'")).as("the tenant's objects live in its own schema")
          .isEqualTo(db.created().pgUser());
      assertThat(Sql.failure(c, "CREATE TABLE public.mine (x int)").getSQLState())
          .as("public holds the engine's tables only").isEqualTo(INSUFFICIENT_PRIVILEGE);
    }
  }

  @Test
  void thePlatformTablesAndSequencesAreReadOnlyToTheTenant(TestDatabase db) throws SQLException {
    try (Connection c = db.tenant()) {
      AwsTestDb.installAwsAccount(c);
      Sql.exec(c, "INSERT INTO aws_regions (region) VALUES ('eu-west-1')");
      assertThat(Sql.value(c, "SELECT count(*) FROM iasql_audit_log")).as("the tenant reads the log").isEqualTo(1L);
      for (String write : List.of("DELETE FROM iasql_audit_log", "UPDATE iasql_audit_log SET \"user\" = 'x'",
          "INSERT INTO iasql_audit_log (\"user\", table_name, change_type, change) VALUES ('x', 'x', 'INSERT', '{}')",
          "TRUNCATE iasql_audit_log", "DELETE FROM iasql_operation", "UPDATE iasql_operation SET status = 'done'",
          "DELETE FROM iasql_module", "INSERT INTO iasql_tables VALUES ('x', 'aws_account@0.0.20')",
          "DELETE FROM iasql_dependencies", "ALTER TABLE iasql_audit_log DISABLE TRIGGER ALL",
          "SELECT nextval('iasql_audit_log_id_seq')", "SELECT setval('iasql_audit_log_id_seq', 2147483647)",
          "ALTER TABLE aws_regions DISABLE TRIGGER iasql_audit", "DROP TABLE aws_regions",
          "CREATE RULE r AS ON INSERT TO aws_regions DO INSTEAD NOTHING",
          "CREATE TRIGGER t BEFORE INSERT ON aws_regions FOR EACH ROW EXECUTE FUNCTION iasql_audit()",
          "ALTER TABLE aws_regions ALTER COLUMN region SET DEFAULT 'x'")) {
        assertThat(Sql.failure(c, write).getSQLState()).as(write).isEqualTo(INSUFFICIENT_PRIVILEGE);
      }
      assertThat(Sql.value(c, "SELECT count(*) FROM iasql_audit_log")).as("the log is intact").isEqualTo(1L);
      assertThat(Sql.value(c, "SELECT data_type::text FROM information_schema.columns WHERE table_name ="
          + " 'iasql_audit_log' AND column_name = 'id'")).as("audit ids do not run out").isEqualTo("bigint");
    }
  }

  @Test
  void installingAModuleWhoseTableTheTenantHasIsRefusedAndTheTenantsTableKept(TestDatabase db) throws SQLException {
    try (Connection c = db.tenant()) {
      Sql.exec(c, "CREATE TABLE aws_regions (region text, note text)");
      Sql.exec(c, "INSERT INTO aws_regions VALUES ('mine', 'keep me')");
      PSQLException e = Sql.failure(c, "SELECT * FROM iasql_install('aws_account')");
      assertThat(e.getSQLState()).isEqualTo("IQ203");
      assertThat(e.getServerErrorMessage().getMessage()).contains("\"aws_regions\"")
          .contains(db.created().pgUser());
      assertThat(Sql.hint(e)).contains("rename or drop your \"aws_regions\"");
      assertThat(Sql.rows(c, "SELECT * FROM aws_regions")).as("the tenant's table is untouched")
          .containsExactly(java.util.Map.of("region", "mine", "note", "keep me"));
      assertThat(Sql.value(c, "SELECT count(*) FROM iasql_modules_installed() WHERE module_name = 'aws_account'"))
          .as("nothing was installed").isEqualTo(0L);
      assertThat(Sql.value(c, "SELECT to_regclass('public.aws_credentials')")).isNull();

      Sql.exec(c, "ALTER TABLE aws_regions RENAME TO my_regions");
      AwsTestDb.installAwsAccount(c);
      assertThat(Sql.value(c, "SELECT count(*) FROM my_regions")).isEqualTo(1L);
    }
  }

  @Test
  void theTenantSeesNoOtherTenantsActivity(TestDatabase db) throws SQLException {
    try (Connection c = db.tenant()) {
      for (String probe : List.of("SELECT count(*) FROM pg_stat_activity", "SELECT count(*) FROM pg_stat_database",
          "SELECT count(*) FROM pg_stat_get_activity(NULL)",
          "SELECT pg_stat_get_db_numbackends(oid) FROM pg_database LIMIT 1",
          "SELECT pg_stat_get_backend_pid(s) FROM pg_stat_get_backend_idset() s")) {
        assertThat(Sql.failure(c, probe).getSQLState()).as(probe).isEqualTo(INSUFFICIENT_PRIVILEGE);
      }
      assertThat(Sql.value(c, "SELECT current_database()")).as("ordinary catalog use still works")
          .isEqualTo(db.name());
      assertThat(Sql.rows(c, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE n.nspname = 'public' AND c.relkind = 'r'")).isNotEmpty();
    }
  }
}
