package dev.iasql.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One tenant's login reaches its own database and nothing else, and inside it only what the engine granted. Every
 * statement runs as a tenant role (or a third, unprivileged login), never as the superuser, except the ACL reads.
 */
@ExtendWith(IasqlExtension.class)
class TenantIsolationTest {
  private static final String INSUFFICIENT_PRIVILEGE = "42501";
  private static final String OTHER_TENANT = "<the other tenant's database>";

  static Stream<Arguments> foreignDatabases() {
    return Stream.of(
        Arguments.of(OTHER_TENANT, INSUFFICIENT_PRIVILEGE, "tenants are isolated from each other"),
        Arguments.of("postgres", INSUFFICIENT_PRIVILEGE, "the admin's maintenance database is not a tenant's"),
        Arguments.of(Engine.METADATA_DATABASE, INSUFFICIENT_PRIVILEGE, "the metadata database lists every tenant"),
        Arguments.of("template1", INSUFFICIENT_PRIVILEGE,
            "what a tenant put into template1 would be copied into every new database (and a session there blocks"
                + " CREATE DATABASE)"),
        Arguments.of("template0", "55000", "never accepts connections"));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("foreignDatabases")
  void tenantCannotConnectToAnotherDatabase(String target, String expectedState, String reason, TestDatabases dbs,
      PostgresCluster cluster) throws SQLException {
    CreatedDatabase a = dbs.create().created();
    CreatedDatabase b = dbs.create().created();
    String database = target.equals(OTHER_TENANT) ? b.name() : target;

    // control: the same credentials do log in to the tenant's own database, and B's to B's
    try (Connection own = Pg.login(cluster, a.name(), a.pgUser(), a.pgPassword());
        Connection other = Pg.login(cluster, b.name(), b.pgUser(), b.pgPassword())) {
      assertThat(own.isClosed()).isFalse();
      assertThat(other.isClosed()).isFalse();
    }
    String what = "tenant " + a.pgUser() + " connecting to " + database + " (" + reason + ")";
    assertThat(Pg.sqlStateOf(what, () -> Pg.login(cluster, database, a.pgUser(), a.pgPassword()).close()))
        .as(what).isEqualTo(expectedState);
  }

  /**
   * CREATE DATABASE copies template1 and refuses while anyone else is connected to it (after waiting 5 s), so a tenant
   * able to sit in template1 could stop every create of the engine.
   */
  @Test
  void aTenantCannotBlockDatabaseCreation(TestDatabase db, Engine engine, PostgresCluster cluster)
      throws SQLException {
    CreatedDatabase tenant = db.created();
    String next = Pg.uniqueName("after_template1");
    Connection held = null;
    try {
      held = Pg.login(cluster, "template1", tenant.pgUser(), tenant.pgPassword());
    } catch (SQLException expected) {
      // the tenant cannot reach template1 at all: nothing to hold
    }
    try {
      Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> engine.createDatabase(next));
      assertThat(failure).as("createDatabase while tenant %s %s template1", tenant.pgUser(),
          held == null ? "was refused by" : "holds a session in").isNull();
    } finally {
      if (held != null) {
        held.close();
      }
      Pg.dropIfPresent(engine, next);
    }
  }

  @Test
  void publicHasNoPrivilegeOnTheUserOrMetadataDatabase(TestDatabase db) throws SQLException {
    try (Connection c = db.admin()) {
      for (String database : List.of(db.name(), Engine.METADATA_DATABASE)) {
        // a NULL datacl means PostgreSQL's defaults, which give PUBLIC CONNECT and TEMPORARY
        assertThat(Pg.strings(c, "SELECT a.privilege_type FROM pg_database d,"
            + " aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a WHERE d.datname = ? AND a.grantee = 0",
            database)).as("privileges PUBLIC holds on %s", database).isEmpty();
        for (String privilege : List.of("CONNECT", "TEMPORARY", "CREATE")) {
          assertThat(Pg.value(c, "SELECT has_database_privilege('public', ?, ?)", database, privilege))
              .as("PUBLIC %s on %s", privilege, database).isEqualTo(false);
        }
      }
      assertThat(Pg.strings(c, "SELECT a.privilege_type FROM pg_database d, aclexplode(d.datacl) a"
          + " JOIN pg_roles r ON r.oid = a.grantee WHERE d.datname = ? AND r.rolname = ? ORDER BY 1", db.name(),
          db.created().pgUser())).as("what the tenant holds on its database").containsExactly("CONNECT", "TEMPORARY");
    }
  }

  static Stream<Arguments> forbiddenStatements() {
    return Stream.of(
        Arguments.of("CREATE TABLE public.mine (id int)", "only modules create tables in public"),
        Arguments.of("CREATE FUNCTION public.mine() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "no CREATE on public for functions either"),
        Arguments.of("CREATE SCHEMA mine", "no CREATE on the database"),
        Arguments.of("SELECT * FROM hidden.secret", "a schema the tenant was not granted"),
        Arguments.of("SELECT hidden.peek()", "a function in a schema the tenant was not granted"),
        Arguments.of("SELECT * FROM public.admin_only", "a table in public nobody granted to the tenant"),
        Arguments.of("ALTER TABLE iasql_module ADD COLUMN x int", "platform tables are owned by the admin"),
        Arguments.of("DROP TABLE iasql_audit_log", "the tenant cannot erase its audit log"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("forbiddenStatements")
  void tenantCannotDoWhatItWasNotGranted(String sql, String reason, TestDatabase db) throws SQLException {
    try (Connection admin = db.admin()) {
      Pg.exec(admin, "CREATE SCHEMA hidden");
      Pg.exec(admin, "CREATE TABLE hidden.secret (v text)");
      Pg.exec(admin, "INSERT INTO hidden.secret VALUES ('secret')");
      Pg.exec(admin, "CREATE FUNCTION hidden.peek() RETURNS text LANGUAGE sql AS 'SELECT v FROM hidden.secret'");
      Pg.exec(admin, "CREATE TABLE public.admin_only (v text)");
      // control: the objects work for someone allowed to use them
      assertThat(Pg.value(admin, "SELECT hidden.peek()")).isEqualTo("secret");
    }
    try (Connection c = db.tenant()) {
      assertThat(Pg.sqlStateOf(() -> Pg.exec(c, sql))).as("%s (%s)", sql, reason).isEqualTo(INSUFFICIENT_PRIVILEGE);
    }
  }

  static Stream<Arguments> platformTables() {
    return Stream.of(
        Arguments.of("iasql_module", "name", "which modules are installed is the engine's bookkeeping"),
        Arguments.of("iasql_tables", "module", "which module owns which table"),
        Arguments.of("iasql_dependencies", "module", "the dependency graph the uninstall check relies on"),
        Arguments.of("iasql_audit_log", "table_name", "an audit log the tenant could edit proves nothing"),
        Arguments.of("iasql_operation", "status", "the engine's request queue and operation history"));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("platformTables")
  void tenantReadsButCannotWritePlatformTables(String table, String column, String reason, TestDatabase db)
      throws SQLException {
    try (Connection c = db.tenant()) {
      List<String> statements = List.of(
          "INSERT INTO %I DEFAULT VALUES",
          "UPDATE %I SET %I = %I",
          "DELETE FROM %I",
          "TRUNCATE %I");
      long before = ((Number) Pg.value(c, formatted(c, "SELECT count(*) FROM %I", table, column))).longValue();
      if (table.equals("iasql_module") || table.equals("iasql_tables")) {
        assertThat(before).as("the platform's own rows are visible to the tenant").isPositive();
      }
      for (String template : statements) {
        String sql = formatted(c, template, table, column);
        assertThat(Pg.sqlStateOf(() -> Pg.exec(c, sql))).as("%s (%s)", sql, reason)
            .isEqualTo(INSUFFICIENT_PRIVILEGE);
      }
      assertThat(((Number) Pg.value(c, formatted(c, "SELECT count(*) FROM %I", table, column))).longValue())
          .isEqualTo(before);
    }
  }

  /** Fills %I placeholders with the table, then the column as often as needed. */
  private static String formatted(Connection c, String template, String table, String column) throws SQLException {
    return (String) Pg.value(c, "SELECT format(?, ?::text, ?::text, ?::text)", template, table, column, column);
  }

  @Test
  void functionsInTheUserDatabaseAreNotExecutableByPublic(TestDatabase db, PostgresCluster cluster)
      throws SQLException {
    try (Connection admin = db.admin()) {
      List<String> functions = Pg.strings(admin, "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n"
          + " ON n.oid = p.pronamespace WHERE n.nspname = 'public' ORDER BY 1");
      assertThat(functions).as("functions the platform created").contains("iasql_audit()");
      assertThat(Pg.strings(admin, "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n"
          + " ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND has_function_privilege('public', p.oid,"
          + " 'EXECUTE') ORDER BY 1")).as("functions PUBLIC may execute").isEmpty();
    }

    // a third login, allowed into the database and its public schema by the admin, still cannot run them
    String probe = Pg.uniqueName("probe");
    String password = "probe-" + System.nanoTime();
    try (Connection pg = Pg.admin(cluster, "postgres")) {
      Pg.execFormatted(pg, "CREATE ROLE %I LOGIN PASSWORD %L", probe, password);
    }
    try {
      try (Connection admin = db.admin()) {
        Pg.execFormatted(admin, "GRANT CONNECT ON DATABASE %I TO %I", db.name(), probe);
        Pg.execFormatted(admin, "GRANT USAGE ON SCHEMA public TO %I", probe);
      }
      try (Connection c = Pg.login(cluster, db.name(), probe, password)) {
        // without EXECUTE the call fails on the privilege check; with it, on "trigger functions can only be called
        // as triggers" (0A000)
        assertThat(Pg.sqlStateOf(() -> Pg.exec(c, "SELECT public.iasql_audit()")))
            .as("a role the tenant does not know calling iasql_audit()").isEqualTo(INSUFFICIENT_PRIVILEGE);
        assertThat(Pg.sqlStateOf(() -> Pg.exec(c, "SELECT * FROM public.iasql_module")))
            .as("nor read the platform tables").isEqualTo(INSUFFICIENT_PRIVILEGE);
      }
    } finally {
      try (Connection admin = db.admin()) {
        Pg.execFormatted(admin, "REVOKE ALL ON SCHEMA public FROM %I", probe);
        Pg.execFormatted(admin, "REVOKE ALL ON DATABASE %I FROM %I", db.name(), probe);
      }
      try (Connection pg = Pg.admin(cluster, "postgres")) {
        Pg.execFormatted(pg, "DROP ROLE %I", probe);
      }
    }
  }
}
