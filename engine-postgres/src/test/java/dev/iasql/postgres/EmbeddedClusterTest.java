package dev.iasql.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One throwaway (FAST) embedded cluster for the class: its hardening, seen from the admin, a tenant and dblink. */
class EmbeddedClusterTest {

  private static final String BRIDGE_DB = "bridge_test";

  private static PostgresCluster cluster;
  private static Path dataDirectory;

  @BeforeAll
  static void start() throws SQLException {
    cluster = PostgresCluster.embedded(EmbeddedOptions.forTests());
    dataDirectory = cluster.dataDirectory().orElseThrow();
    execute(cluster.adminDataSource("postgres"),
        "CREATE DATABASE " + BRIDGE_DB,
        "CREATE ROLE tenant_pw LOGIN PASSWORD 'tenant-secret'",
        "CREATE ROLE tenant_nopw LOGIN");
    execute(cluster.adminDataSource(BRIDGE_DB), "CREATE EXTENSION dblink");
  }

  @AfterAll
  static void stop() {
    if (cluster == null) {
      return;
    }
    cluster.close();
    cluster.close(); // idempotent
    assertThat(dataDirectory).as("temporary data directory is deleted on close").doesNotExist();
  }

  @Test
  void embeddedClusterDescribesItself() {
    assertThat(cluster.host()).isEqualTo("127.0.0.1");
    assertThat(cluster.adminUser()).isEqualTo("postgres");
    assertThat(cluster.adminPassword()).matches("[0-9a-f]{64}");
    assertThat(cluster.jdbcUrl("some db")).isEqualTo("jdbc:postgresql://127.0.0.1:" + cluster.port() + "/some%20db");
    assertThat(cluster.toString()).doesNotContain(cluster.adminPassword());
  }

  @Test
  void adminLogsInOverTcpWithThePasswordOnly() throws SQLException {
    assertThat(queryString(cluster.adminDataSource("postgres"), "SELECT current_user")).isEqualTo("postgres");
    assertThat(queryString(cluster.adminDataSource("postgres"), "SELECT current_setting('application_name')"))
        .isEqualTo("iasql-engine");

    assertThatThrownBy(() -> connect("postgres", null).close())
        .as("no password").isInstanceOf(SQLException.class).hasMessageContaining("password");
    assertThatThrownBy(() -> connect("postgres", "wrong").close())
        .as("wrong password").isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
  }

  @Test
  void aRoleWithAPasswordLogsInOverTcpAndOneWithoutCannot() throws SQLException {
    try (Connection c = connect("tenant_pw", "tenant-secret");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_user")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("tenant_pw");
    }
    assertThatThrownBy(() -> connect("tenant_nopw", null).close()).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> connect("tenant_nopw", "anything").close())
        .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
  }

  @Test
  void serverListensOnLoopbackOnlyWithScramAndAPrivateSocket() throws SQLException, IOException {
    DataSource admin = cluster.adminDataSource("postgres");
    assertThat(queryString(admin, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
    assertThat(queryString(admin, "SHOW password_encryption")).isEqualTo("scram-sha-256");
    assertThat(queryString(admin, "SHOW lc_messages")).isEqualTo("C");
    assertThat(queryString(admin, "SHOW max_connections")).isEqualTo("300");
    assertThat(queryString(admin, "SHOW fsync")).as("FAST").isEqualTo("off");
    assertThat(queryString(admin, "SHOW synchronous_commit")).as("FAST").isEqualTo("off");
    assertThat(queryString(admin, "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = 'postgres'"))
        .isEqualTo("t");

    Path socketDirectory = Paths.get(queryString(admin, "SHOW unix_socket_directories"));
    assertThat(socketDirectory).isEqualTo(dataDirectory.resolve("run"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socketDirectory))).isEqualTo("rwx------");
    assertThat(socketDirectory.resolve(".s.PGSQL." + cluster.port())).exists();

    assertThat(queryStrings(admin, "SELECT type || ' ' || array_to_string(database, ',') || ' '"
        + " || array_to_string(user_name, ',') || ' ' || coalesce(address || '/' || netmask || ' ', '') || auth_method"
        + " FROM pg_hba_file_rules ORDER BY rule_number"))
        .containsExactly(
            "local all postgres trust",
            "host all all 127.0.0.1/255.255.255.255 scram-sha-256",
            "host all all ::1/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff scram-sha-256");
  }

  @Test
  void adminPasswordFileIsOwnerOnly() throws IOException {
    Path file = dataDirectory.resolve("admin-password");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file, UTF_8).strip()).isEqualTo(cluster.adminPassword());
  }

  @Test
  void adminOpensTheBridgeDblinkThroughTheTrustedSocket() throws SQLException {
    String conninfo = cluster.bridgeConnInfo(BRIDGE_DB);
    assertThat(conninfo).isEqualTo("host='" + dataDirectory.resolve("run") + "' port='" + cluster.port()
        + "' dbname='" + BRIDGE_DB + "' user='postgres'");
    try (Connection c = cluster.adminDataSource(BRIDGE_DB).getConnection()) {
      assertThat(queryString(c, "SELECT dblink_connect('bridge', ?)", conninfo)).isEqualTo("OK");
      assertThat(queryString(c, "SELECT u FROM dblink('bridge', 'SELECT current_user || ''@'' || current_database()')"
          + " AS t(u text)")).isEqualTo("postgres@" + BRIDGE_DB);
      assertThat(queryString(c, "SELECT a FROM dblink('bridge', 'SELECT coalesce(inet_client_addr()::text, ''socket'')')"
          + " AS t(a text)")).as("the bridge comes in through the unix socket").isEqualTo("socket");
      queryString(c, "SELECT dblink_disconnect('bridge')");
    }
  }

  @Test
  void aTenantCannotDblinkToTheAdminWithoutAPassword() throws SQLException {
    String overTcp = "host=127.0.0.1 port=" + cluster.port() + " user=postgres dbname=" + BRIDGE_DB;
    try (Connection c = connect("tenant_pw", "tenant-secret", BRIDGE_DB)) {
      // PG 17 says "password or GSSAPI delegated credentials required" (SQLSTATE 2F003); older ones "password is required"
      assertThatThrownBy(() -> queryString(c, "SELECT dblink_connect('x', ?)", overTcp))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("2F003"))
          .hasMessageContaining("password");
      assertThatThrownBy(() -> queryString(c, "SELECT dblink_connect('y', ?)", cluster.bridgeConnInfo(BRIDGE_DB)))
          .as("the socket conninfo is no use to a non-superuser either")
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("2F003"))
          .hasMessageContaining("password");
    }
  }

  @Test
  void tenantUrlWorksWithPsqlAsIs() throws Exception {
    Path psql = Paths.get("/usr/bin/psql");
    Assumptions.assumeTrue(Files.isExecutable(psql), "psql is not installed");
    String password = "p@ss:w/o?r#d%'\" +\\é";
    try (Connection c = cluster.adminDataSource("postgres").getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT format('CREATE ROLE tenant_url LOGIN PASSWORD %L', ?::text)")) {
      ps.setString(1, password);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        execute(cluster.adminDataSource("postgres"), rs.getString(1));
      }
    }
    String url = cluster.tenantUrl(BRIDGE_DB, "tenant_url", password);
    assertThat(url).startsWith("postgresql://tenant_url:p%40ss%3Aw%2Fo%3Fr%23d%25%27%22%20%2B%5C%C3%A9@127.0.0.1:");

    Process process = new ProcessBuilder(psql.toString(), url, "-Atc", "SELECT current_user || '@' || current_database()")
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8).strip();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(output).isEqualTo("tenant_url@" + BRIDGE_DB);
    assertThat(process.exitValue()).isZero();
  }

  @Test
  void externalUrlsOfARunningClusterConnect() throws SQLException {
    String libpqUrl = cluster.tenantUrl("postgres", cluster.adminUser(), cluster.adminPassword());
    String jdbcUrl = cluster.jdbcUrl("postgres") + "?user=postgres&password=" + cluster.adminPassword();
    for (String url : List.of(libpqUrl, jdbcUrl)) {
      PostgresCluster external = PostgresCluster.external(url);
      assertThat(external.dataDirectory()).isEmpty();
      assertThat(external.host()).isEqualTo("127.0.0.1");
      assertThat(external.port()).isEqualTo(cluster.port());
      assertThat(queryString(external.adminDataSource(BRIDGE_DB), "SELECT current_user")).isEqualTo("postgres");
      assertThat(external.toString()).doesNotContain(cluster.adminPassword());

      // an external bridge goes over TCP with the password
      try (Connection c = external.adminDataSource(BRIDGE_DB).getConnection()) {
        assertThat(queryString(c, "SELECT dblink_connect('ext', ?)", external.bridgeConnInfo(BRIDGE_DB))).isEqualTo("OK");
        queryString(c, "SELECT dblink_disconnect('ext')");
      }
      external.close(); // no-op: the embedded server keeps running
    }
    assertThat(queryString(cluster.adminDataSource("postgres"), "SELECT 1")).isEqualTo("1");
  }

  private static Connection connect(String user, String password) throws SQLException {
    return connect(user, password, "postgres");
  }

  private static Connection connect(String user, String password, String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    if (password != null) {
      properties.setProperty("password", password);
    }
    return DriverManager.getConnection(cluster.jdbcUrl(database), properties);
  }

  static void execute(DataSource ds, String... statements) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  static String queryString(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection()) {
      return queryString(c, sql);
    }
  }

  static String queryString(Connection c, String sql, String... parameters) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setString(i + 1, parameters[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  static List<String> queryStrings(DataSource ds, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }
}
