package dev.iasql.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.DatabaseInfo;
import dev.iasql.engine.Engine;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.postgres.PostgresCluster;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** engine.createDatabase: a random login per database, a password kept nowhere, a URL that works, the listing. */
@ExtendWith(IasqlExtension.class)
class CreateDatabaseTest {
  private static final String LATEST = ReleaseCatalog.standard().latest();


  @Test
  void returnsARandomRoleAndPasswordPerDatabase(TestDatabases dbs) {
    CreatedDatabase a = dbs.create().created();
    CreatedDatabase b = dbs.create().created();

    for (CreatedDatabase d : List.of(a, b)) {
      assertThat(d.pgUser()).as("login role of %s", d.name()).matches("iasql_[0-9a-f]{8,}");
      assertThat(d.pgPassword()).as("password of %s: at least 128 bits", d.name()).hasSizeGreaterThanOrEqualTo(32)
          .doesNotContain(d.pgUser()).doesNotContain(d.name());
    }
    assertThat(a.pgUser()).as("each database has its own role").isNotEqualTo(b.pgUser());
    assertThat(a.pgPassword()).as("each database has its own password").isNotEqualTo(b.pgPassword());
    assertThat(a.toString()).as("toString never shows the password").doesNotContain(a.pgPassword());
  }

  @Test
  void passwordIsStoredNowhereInTheMetadataOrUserDatabase(TestDatabase db, PostgresCluster cluster)
      throws SQLException {
    CreatedDatabase created = db.created();

    try (Connection m = Pg.admin(cluster, Engine.METADATA_DATABASE)) {
      // positive control: the scan does find what the metadata does store (the role name), so a miss means something
      assertThat(rowsContaining(m, created.pgUser())).as("the scan finds the role in iasql_metadata")
          .contains("public.iasql_database");
      assertThat(rowsContaining(m, created.pgPassword())).as("tables of iasql_metadata holding the password")
          .isEmpty();
    }
    try (Connection u = db.admin()) {
      assertThat(rowsContaining(u, "iasql_platform@")).as("the scan finds the platform module in the user database")
          .contains("public.iasql_module");
      assertThat(rowsContaining(u, created.pgPassword())).as("tables of the user database holding the password")
          .isEmpty();
    }
    try (Connection c = db.admin()) {
      String stored = (String) Pg.value(c, "SELECT rolpassword FROM pg_authid WHERE rolname = ?", created.pgUser());
      assertThat(stored).as("PostgreSQL keeps only a SCRAM verifier").startsWith("SCRAM-SHA-256$")
          .doesNotContain(created.pgPassword());
    }
  }

  /**
   * The passwords the engine generates (the tenant's, and its owner and ring roles') are random, so their SCRAM
   * verifiers take one round, not the 4,096 that slow down guessing a person's: every login pays those rounds, and a
   * tenant's session logs in three times. A password the tenant sets itself keeps the server's default.
   */
  @Test
  void generatedPasswordsTakeOneScramRoundAndTheTenantsOwnTheDefault(TestDatabase db) throws SQLException {
    String tenant = db.created().pgUser();
    try (Connection c = db.admin()) {
      for (String role : List.of(tenant, tenant + "_owner", tenant + "_ring")) {
        assertThat((String) Pg.value(c, "SELECT rolpassword FROM pg_authid WHERE rolname = ?", role))
            .as("verifier of %s", role).startsWith("SCRAM-SHA-256$1:");
      }
    }
    try (Connection t = db.tenant(); java.sql.Statement s = t.createStatement()) {
      s.execute("ALTER ROLE CURRENT_USER PASSWORD 'a phrase a person chose'");
    }
    try (Connection c = db.admin()) {
      assertThat((String) Pg.value(c, "SELECT rolpassword FROM pg_authid WHERE rolname = ?", tenant))
          .startsWith("SCRAM-SHA-256$4096:");
    }
  }

  /**
   * Every table of every non-system schema whose rows, rendered as text (all columns at once), contain {@code needle}.
   */
  private static List<String> rowsContaining(Connection c, String needle) throws SQLException {
    List<List<Object>> tables = Pg.rows(c, "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON"
        + " n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog',"
        + " 'information_schema', 'pg_toast') ORDER BY 1, 2");
    assertThat(tables).as("tables to scan").isNotEmpty();
    List<String> hits = new ArrayList<>();
    for (List<Object> t : tables) {
      String query = (String) Pg.value(c, "SELECT format('SELECT count(*) FROM %I.%I AS t WHERE strpos(t::text, ?)"
          + " > 0', ?::text, ?::text)", t.get(0), t.get(1));
      long count = ((Number) Pg.value(c, query, needle)).longValue();
      if (count > 0) {
        hits.add(t.get(0) + "." + t.get(1));
      }
    }
    return hits;
  }

  @Test
  void returnedUrlLogsInAsTheTenant(TestDatabase db, PostgresCluster cluster) throws Exception {
    CreatedDatabase created = db.created();
    assertThat(created.url()).as("postgresql://user:pass@host:port/db")
        .startsWith("postgresql://").endsWith("/" + created.name());

    URI url = new URI(created.url());
    String[] userInfo = url.getRawUserInfo().split(":", 2);
    String user = URLDecoder.decode(userInfo[0], StandardCharsets.UTF_8);
    String password = URLDecoder.decode(userInfo[1], StandardCharsets.UTF_8);
    String database = URLDecoder.decode(url.getRawPath().substring(1), StandardCharsets.UTF_8);
    assertThat(user).isEqualTo(created.pgUser());
    assertThat(password).isEqualTo(created.pgPassword());
    assertThat(url.getPort()).isEqualTo(cluster.port());

    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    try (Connection c = DriverManager.getConnection(
        "jdbc:postgresql://" + url.getHost() + ":" + url.getPort() + "/" + database, p)) {
      assertThat(Pg.rows(c, "SELECT current_user::text, current_database()::text, (SELECT rolsuper FROM pg_roles"
          + " WHERE rolname = current_user)"))
          .containsExactly(List.of(created.pgUser(), created.name(), false));
    }
  }

  @Test
  void jdbcUrlAndDataSourceLogInAsTheTenant(TestDatabase db) throws Exception {
    CreatedDatabase created = db.created();
    List<Object> expected = List.of(created.pgUser(), created.name(), false);
    String who = "SELECT current_user::text, current_database()::text, (SELECT rolsuper FROM pg_roles"
        + " WHERE rolname = current_user)";

    assertThat(created.jdbcUrl()).startsWith("jdbc:postgresql://").doesNotContain("@");
    try (Connection c = DriverManager.getConnection(created.jdbcUrl())) {
      assertThat(Pg.rows(c, who)).as("the JDBC URL alone").containsExactly(expected);
    }
    try (Connection c = created.dataSource().getConnection()) {
      assertThat(Pg.rows(c, who)).as("the data source").containsExactly(expected);
    }
  }

  @Test
  void listShowsTheNewDatabaseAtTheLatestReleaseAndIdle(TestDatabase db, Engine engine) {
    List<DatabaseInfo> listed = engine.listDatabases().stream().filter(i -> i.name().equals(db.name())).toList();

    assertThat(listed).hasSize(1);
    DatabaseInfo info = listed.get(0);
    assertThat(info.pgUser()).isEqualTo(db.created().pgUser());
    assertThat(info.release()).isEqualTo(LATEST);
    assertThat(info.upgradeState()).isEqualTo("idle");
    assertThat(info.createdAt()).isNotNull();
  }

  @Test
  void newDatabaseHasThePlatformModuleInstalled(TestDatabase db) throws SQLException {
    try (Connection c = db.tenant()) {
      assertThat(Pg.strings(c, "SELECT name FROM iasql_module")).containsExactly("iasql_platform@" + LATEST);
      assertThat(Pg.strings(c, "SELECT \"table\" FROM iasql_tables ORDER BY 1")).containsExactly(
          "iasql_audit_log", "iasql_dependencies", "iasql_module", "iasql_operation", "iasql_tables");
    }
  }
}
