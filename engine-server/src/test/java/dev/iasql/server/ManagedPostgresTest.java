package dev.iasql.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.engine.AdminPowers;
import dev.iasql.engine.Engine;
import dev.iasql.engine.EngineBuilder;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./iasql serve --postgres-url} as a role that is no superuser, with CREATEDB and CREATEROLE, as managed services
 * give, on Debian's PostgreSQL 15 whose template1 the operator prepared as the README's "Managed PostgreSQL" says (the
 * test runs that very SQL block, as the superuser). A tenant's whole path works, and what keeps tenants apart holds;
 * what the operator left out is reported, and what the engine cannot work without is refused with its own code.
 */
class ManagedPostgresTest {
  private static final String SUPERUSER_PASSWORD = "debian-superuser-secret";
  private static final String ADMIN_PASSWORD = "managed-admin-secret";
  private static final List<String> SCRAM = List.of("host all all 127.0.0.1/32 scram-sha-256");
  private static final Pattern MANAGED_SQL = Pattern.compile(
      "(?s)### Managed PostgreSQL\\n.*?```sql\\n(.*?)```");

  /** Prepared by the README's SQL. */
  private static DebianPostgres prepared;
  private static Moto moto;

  @TempDir
  Path temp;

  @BeforeAll
  static void start() throws Exception {
    moto = Moto.start();
    prepared = DebianPostgres.start(SUPERUSER_PASSWORD, SCRAM);
    String[] parts = readmeSql().split("(?m)^\\\\connect template1$", 2);
    assertThat(parts).as("the README's block connects to template1 once").hasSize(2);
    try (Connection postgres = prepared.admin(SUPERUSER_PASSWORD, "postgres")) {
      Sql.exec(postgres, parts[0].replace("'change-me'", "'" + ADMIN_PASSWORD + "'"));
    }
    try (Connection template1 = prepared.admin(SUPERUSER_PASSWORD, "template1")) {
      Sql.exec(template1, parts[1]);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (prepared != null) {
      prepared.close();
    }
  }

  static String readmeSql() throws Exception {
    String readme = Files.readString(Path.of("..").toAbsolutePath().normalize().resolve("README.md"));
    Matcher m = MANAGED_SQL.matcher(readme);
    assertThat(m.find()).as("README has a Managed PostgreSQL section with an sql block").isTrue();
    return m.group(1);
  }

  @Test
  void aManagedAdminServesTenantsAndKeepsThemApart() throws Exception {
    try (ServerProcess server = serve(prepared, "iasql_admin", ADMIN_PASSWORD).awaitReady()) {
      assertThat(readyBlock(server)).as("the start-up output says what runs the engine")
          .anyMatch(l -> l.contains("managed: iasql_admin is no superuser") && l.contains("every protection applied"))
          .noneMatch(l -> l.contains("not applied:"));
      String alphaUrl = create(prepared, "alpha");
      String betaUrl = create(prepared, "beta");
      String group = "managed-" + UUID.randomUUID();
      try (Connection alpha = ServeAndDbTest.connect(alphaUrl); Connection beta = ServeAndDbTest.connect(betaUrl)) {
        String alphaRole = (String) Sql.value(alpha, "SELECT current_user::text");
        Sql.rows(alpha, "SELECT * FROM iasql_install('aws_account')");
        Sql.exec(alpha, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
            moto.account().accessKeyId(), moto.account().secretAccessKey());
        Sql.rows(alpha, "SELECT * FROM iasql_install('aws_security_group')");
        Sql.exec(alpha, "INSERT INTO security_group (description, group_name) VALUES ('managed', ?)", group);
        Sql.rows(alpha, "SELECT * FROM iasql_apply()");
        assertThat((String) Sql.value(alpha, "SELECT group_id FROM security_group WHERE group_name = ?", group))
            .as("applied to moto through the bridge, whose loopback is the owner's password-checked dblink")
            .startsWith("sg-");

        // A tenant reaches its own database only.
        for (String other : List.of("beta", "postgres", "template1", "iasql_metadata")) {
          assertThatThrownBy(() -> login(prepared, alphaUrl, other)).as(other).isInstanceOf(SQLException.class)
              .hasMessageContaining("permission denied for database");
        }
        // It cannot become the admin or its database's owner, nor reach dblink or who else uses the cluster.
        assertThat(Sql.failure(alpha, "SET ROLE iasql_admin").getSQLState()).isEqualTo("42501");
        assertThat(Sql.failure(alpha, "SET ROLE " + alphaRole + "_owner").getSQLState()).isEqualTo("42501");
        assertThat(Sql.value(alpha, "SELECT pg_has_role('iasql_admin', 'USAGE')")).isEqualTo(false);
        assertThat(Sql.failure(alpha, "SELECT iasql_engine.dblink_connect('x', 'dbname=beta')").getSQLState())
            .isEqualTo("42501");
        assertThat(Sql.failure(alpha, "SELECT dblink_connect('x', 'dbname=beta')").getSQLState())
            .as("no dblink on the tenant's path").isEqualTo("42883");
        assertThat(Sql.failure(alpha, "SELECT count(*) FROM pg_stat_activity").getSQLState()).isEqualTo("42501");

        try (Connection superuser = prepared.admin(SUPERUSER_PASSWORD, "alpha")) {
          assertThat(Sql.rows(superuser, "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member"
              + " WHERE m.roleid = 'iasql_admin'::regrole")).as("no role is a member of the admin").isEmpty();
          assertThat(Sql.value(superuser, "SELECT (SELECT count(*) FROM pg_proc WHERE proowner = 'iasql_admin'::regrole)"
              + " + (SELECT count(*) FROM pg_class WHERE relowner = 'iasql_admin'::regrole)"
              + " + (SELECT count(*) FROM pg_namespace WHERE nspowner = 'iasql_admin'::regrole)"
              + " + (SELECT count(*) FROM pg_type WHERE typowner = 'iasql_admin'::regrole)"))
              .as("nothing of the admin's in a user database: no definer function, table or schema").isEqualTo(0L);
          assertThat(Sql.value(superuser, "SELECT pg_get_userbyid(datdba) FROM pg_database"
              + " WHERE datname = 'alpha'")).isEqualTo(alphaRole + "_owner");
          assertThat(Sql.value(superuser, "SELECT rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles"
              + " WHERE rolname = ?", alphaRole + "_owner")).isEqualTo(false);
        }

        Sql.exec(alpha, "DELETE FROM security_group WHERE group_name = ?", group); // moto's account is the JVM's
        Sql.rows(alpha, "SELECT * FROM iasql_apply()");

        // A drop ends the tenant's sessions: the admin may, as a member of the roles it made.
        try (Connection meta = asAdmin(prepared, "iasql_metadata")) {
          Sql.rows(meta, "SELECT * FROM iasql_disconnect('beta')");
        }
        assertThat(beta.isValid(5)).isFalse();
      }
      assertThat(server.terminate(Duration.ofSeconds(60))).isZero();
    }

    // alpha as an older engine left it: owned by the superuser, which a managed admin cannot take it from.
    try (Connection superuser = prepared.admin(SUPERUSER_PASSWORD, "postgres")) {
      Sql.exec(superuser, "ALTER DATABASE alpha OWNER TO postgres");
    }
    try (ServerProcess server = serve(prepared, "iasql_admin", ADMIN_PASSWORD).awaitReady()) {
      assertThat(server.terminate(Duration.ofSeconds(60))).isZero();
      assertThat(server.log()).contains("not serving database alpha: IQ308")
          .contains("made by an older engine, as the superuser").contains("serve the cluster once with a superuser");
    }
  }

  /** Only dblink, as a service that pre-creates it: everything else the operator did not do is reported. */
  @Test
  void whatTheOperatorLeftOutIsReportedAndTenantsStayApart() throws Exception {
    try (DebianPostgres pg = DebianPostgres.start(SUPERUSER_PASSWORD, SCRAM)) {
      try (Connection postgres = pg.admin(SUPERUSER_PASSWORD, "postgres")) {
        Sql.exec(postgres, "CREATE ROLE iasql_admin LOGIN PASSWORD '" + ADMIN_PASSWORD + "' CREATEDB CREATEROLE");
      }
      try (Connection template1 = pg.admin(SUPERUSER_PASSWORD, "template1")) {
        Sql.exec(template1, "CREATE SCHEMA iasql_engine AUTHORIZATION iasql_admin");
        Sql.exec(template1, "CREATE EXTENSION dblink SCHEMA iasql_engine");
      }
      try (ServerProcess server = serve(pg, "iasql_admin", ADMIN_PASSWORD).awaitReady()) {
        List<String> ready = readyBlock(server);
        assertThat(ready).anyMatch(l -> l.contains("protections NOT applied"))
            .anyMatch(l -> l.startsWith("  not applied: PUBLIC may still connect to postgres (CONNECT)")
                && l.contains("REVOKE CONNECT, TEMPORARY ON DATABASE postgres, template1 FROM PUBLIC"))
            .anyMatch(l -> l.startsWith("  not applied: PUBLIC may read pg_stat_activity")
                && l.contains("REVOKE SELECT ON pg_catalog.pg_stat_activity"))
            .anyMatch(l -> l.startsWith("  not applied: PUBLIC may execute dblink in template1"));
        assertThat(server.log()).contains("WARN").contains("protection not applied: PUBLIC may still connect");

        String alphaUrl = create(pg, "alpha");
        create(pg, "beta");
        try (Connection alpha = ServeAndDbTest.connect(alphaUrl)) {
          assertThat(Sql.rows(alpha, "SELECT * FROM iasql_modules_installed()")).isNotEmpty();
          assertThat(Sql.rows(alpha, "SELECT * FROM iasql_modules_list()")).as("an engine call").isNotEmpty();
          assertThat(Sql.failure(alpha, "SELECT iasql_engine.dblink_connect('x', 'dbname=beta')").getSQLState())
              .as("PUBLIC's EXECUTE on dblink is no use without the schema").isEqualTo("42501");
        }
        assertThatThrownBy(() -> login(pg, alphaUrl, "beta")).isInstanceOf(SQLException.class)
            .as("CONNECT on a user database is its own tenant's, however template1 is")
            .hasMessageContaining("permission denied for database");
        assertThat(server.terminate(Duration.ofSeconds(60))).isZero();
      }

      // A route that asks no password: only a superuser's function could open the loopback there, so it says so.
      pg.hba(List.of("host all all 127.0.0.1/32 trust"));
      try (ServerProcess server = serve(pg, "iasql_admin", ADMIN_PASSWORD).awaitReady()) {
        assertThat(server.terminate(Duration.ofSeconds(60))).isZero();
        assertThat(server.log()).contains("asks no password on the loopback route into database alpha")
            .contains("dblink refuses a non-superuser such a connection");
      }
    }
  }

  /** The same check in-process (no server JVM to start): the engine's build() and createDatabase() refuse. */
  @Test
  void whatTheEngineCannotWorkWithoutIsRefusedByName() throws Exception {
    try (DebianPostgres pg = DebianPostgres.start(SUPERUSER_PASSWORD, SCRAM)) {
      try (Connection postgres = pg.admin(SUPERUSER_PASSWORD, "postgres")) {
        Sql.exec(postgres, "CREATE ROLE creator LOGIN PASSWORD '" + ADMIN_PASSWORD + "' CREATEDB");
        Sql.exec(postgres, "CREATE ROLE nobody LOGIN PASSWORD '" + ADMIN_PASSWORD + "'");
        Sql.exec(postgres, "CREATE ROLE iasql_admin LOGIN PASSWORD '" + ADMIN_PASSWORD + "' CREATEDB CREATEROLE");
      }
      assertThat(refusal(pg, "creator")).returns(ErrorCode.ADMIN_LACKS_PRIVILEGE, EngineException::code)
          .hasMessage("the admin role creator is no superuser and lacks CREATEROLE")
          .satisfies(e -> assertThat(e.hint()).contains("as a superuser: ALTER ROLE creator CREATEROLE (see the"
              + " README, Managed PostgreSQL)"));
      assertThat(refusal(pg, "nobody")).hasMessageEndingWith("lacks CREATEDB and CREATEROLE");
      assertThat(refusal(pg, "iasql_admin")).returns(ErrorCode.TEMPLATE_NOT_PREPARED, EngineException::code)
          .hasMessage("template1 has no dblink extension, and iasql_admin may not create it (it is not a trusted"
              + " extension)")
          .satisfies(e -> assertThat(e.hint().orElseThrow()).contains("CREATE EXTENSION dblink SCHEMA iasql_engine"));
      try (Connection template1 = pg.admin(SUPERUSER_PASSWORD, "template1")) {
        Sql.exec(template1, "CREATE EXTENSION dblink");
      }
      assertThat(refusal(pg, "iasql_admin")).returns(ErrorCode.TEMPLATE_NOT_PREPARED, EngineException::code)
          .hasMessageStartingWith("template1's dblink is in schema public, where tenants could call it");
      try (Connection postgres = pg.admin(SUPERUSER_PASSWORD, "postgres")) {
        assertThat(Sql.value(postgres, "SELECT count(*) FROM pg_database WHERE datname = 'iasql_metadata'"))
            .as("nothing made before the refusal").isEqualTo(0L);
      }

      // dblink where it belongs, but its password-less connector open to PUBLIC: each new database is checked.
      try (Connection template1 = pg.admin(SUPERUSER_PASSWORD, "template1")) {
        Sql.exec(template1, "DROP EXTENSION dblink");
        Sql.exec(template1, "CREATE SCHEMA iasql_engine AUTHORIZATION iasql_admin");
        Sql.exec(template1, "CREATE EXTENSION dblink SCHEMA iasql_engine");
        Sql.exec(template1, "GRANT EXECUTE ON FUNCTION iasql_engine.dblink_connect_u(text, text) TO PUBLIC");
      }
      try (Engine engine = engine(pg, "iasql_admin").build()) {
        assertThat(engine.adminPowers()).isInstanceOf(AdminPowers.Managed.class);
        assertThatThrownBy(() -> engine.createDatabase("alpha")).isInstanceOf(EngineException.class)
            .returns(ErrorCode.TEMPLATE_NOT_PREPARED, e -> ((EngineException) e).code())
            .hasMessageContaining("owner may run dblink_connect_u: true");
      }
      try (Connection postgres = pg.admin(SUPERUSER_PASSWORD, "postgres")) {
        assertThat(Sql.value(postgres, "SELECT count(*) FROM pg_database WHERE datname = 'alpha'"))
            .as("nothing left of the refused database").isEqualTo(0L);
      }
    }
  }

  private static EngineBuilder engine(DebianPostgres pg, String role) {
    return Engine.configure().postgres(PostgresCluster.external("postgresql://" + role + ":" + ADMIN_PASSWORD
        + "@127.0.0.1:" + pg.port() + "/postgres"));
  }

  private static EngineException refusal(DebianPostgres pg, String role) {
    EngineBuilder builder = engine(pg, role);
    try (Engine engine = builder.build()) {
      throw new AssertionError("the engine started as " + role + ": " + engine.adminPowers());
    } catch (EngineException e) {
      assertThat(e.getMessage()).doesNotContain(ADMIN_PASSWORD);
      return e;
    }
  }

  private ServerProcess serve(DebianPostgres pg, String role, String password) {
    return ServerProcess.start(temp.resolve("data"), Map.of("PGPASSWORD", password, "PGPASSFILE",
        temp.resolve("no-such-pgpass").toString()), "serve", "--postgres-url", url(pg, role), "--aws-endpoint",
        moto.endpoint());
  }

  private static String url(DebianPostgres pg, String role) {
    return "postgresql://" + role + "@127.0.0.1:" + pg.port() + "/postgres";
  }

  /**
   * {@code iasql_connect(NAME)} as the managed admin in the metadata database, which {@code ./iasql db create} calls
   * too (without a JVM to start); the tenant's URL.
   */
  private static String create(DebianPostgres pg, String name) throws SQLException {
    try (Connection meta = asAdmin(pg, "iasql_metadata")) {
      return (String) Sql.value(meta, "SELECT connection_url FROM iasql_connect(?)", name);
    }
  }

  private static Connection asAdmin(DebianPostgres pg, String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "iasql_admin");
    p.setProperty("password", ADMIN_PASSWORD);
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + database, p);
  }

  /** The ready block, once its last line ({@code stop:}) is in. */
  private static List<String> readyBlock(ServerProcess server) throws InterruptedException {
    for (int i = 0; i < 100 && server.stdout().stream().noneMatch(l -> l.startsWith("  stop:")); i++) {
      Thread.sleep(50);
    }
    return server.stdout();
  }

  /** Logs in with a tenant URL's role and password to another database. */
  private static Connection login(DebianPostgres pg, String tenantUrl, String database) throws SQLException {
    java.net.URI uri = java.net.URI.create(tenantUrl);
    String[] userInfo = uri.getRawUserInfo().split(":", 2);
    Properties p = new Properties();
    p.setProperty("user", java.net.URLDecoder.decode(userInfo[0], java.nio.charset.StandardCharsets.UTF_8));
    p.setProperty("password", java.net.URLDecoder.decode(userInfo[1], java.nio.charset.StandardCharsets.UTF_8));
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + database, p);
  }
}
