package dev.iasql.postgres;

import static dev.iasql.postgres.EmbeddedClusterTest.execute;
import static dev.iasql.postgres.EmbeddedClusterTest.queryString;
import static dev.iasql.postgres.EmbeddedClusterTest.queryStrings;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data directories that outlive the cluster: a DURABLE restart, and a path too long for the socket. */
class DurableClusterTest {

  @TempDir Path temp;

  @Test
  void aDurableDataDirectoryRestartsWithItsDataAndPasswordAndIsHardenedAgain() throws Exception {
    Path dir = temp.resolve("data");
    String password;
    try (PostgresCluster first = PostgresCluster.embedded(EmbeddedOptions.persistent(dir, 0))) {
      password = first.adminPassword();
      DataSource admin = first.adminDataSource("postgres");
      assertDurable(admin);
      execute(admin,
          "CREATE TABLE kept (v text)",
          "INSERT INTO kept VALUES ('survives')",
          // a superuser's attempt to open the server up must not outlive a restart
          "ALTER SYSTEM SET listen_addresses = '*'");
    }
    assertThat(dir.resolve("postgresql.conf")).exists();
    Path passwordFile = dir.resolve("admin-password");
    assertThat(Files.readString(passwordFile, UTF_8).strip()).isEqualTo(password);

    // tamper with the files between runs: the next start puts them right
    Files.writeString(dir.resolve("pg_hba.conf"), "host all all 0.0.0.0/0 trust\n", UTF_8);
    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-r--r--"));

    try (PostgresCluster second = PostgresCluster.embedded(EmbeddedOptions.persistent(dir, 0))) {
      assertThat(second.adminPassword()).as("password file reused").isEqualTo(password);
      assertThat(second.dataDirectory()).contains(dir);
      DataSource admin = second.adminDataSource("postgres");
      assertThat(queryString(admin, "SELECT v FROM kept")).isEqualTo("survives");
      assertDurable(admin);
      assertThat(queryString(admin, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
      assertThat(queryStrings(admin, "SELECT auth_method FROM pg_hba_file_rules ORDER BY rule_number"))
          .containsExactly("trust", "scram-sha-256", "scram-sha-256");
      assertThatThrownBy(() -> DriverManager.getConnection(second.jdbcUrl("postgres") + "?user=postgres").close())
          .isInstanceOf(SQLException.class);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
    }
    assertThat(dir.resolve("base")).as("a persistent data directory stays").isDirectory();
  }

  @Test
  void aDataDirectoryTooLongForTheSocketGetsAPrivateTemporarySocketDirectory() throws SQLException {
    Path dir = temp.resolve("a-rather-long-directory-name-".repeat(3)).resolve("data");
    Path socketDirectory;
    try (PostgresCluster cluster = PostgresCluster.embedded(new EmbeddedOptions(dir, 0, Durability.FAST))) {
      DataSource admin = cluster.adminDataSource("postgres");
      socketDirectory = Path.of(queryString(admin, "SHOW unix_socket_directories"));
      assertThat(socketDirectory).isNotEqualTo(dir.resolve("run"));
      assertThat(socketDirectory.getFileName().toString()).startsWith("iasql-pg-");
      execute(admin, "CREATE EXTENSION dblink");
      try (Connection c = admin.getConnection()) {
        assertThat(queryString(c, "SELECT dblink_connect('b', ?)", cluster.bridgeConnInfo("postgres"))).isEqualTo("OK");
      }
    }
    assertThat(socketDirectory).as("temporary socket directory deleted on close").doesNotExist();
    assertThat(dir.resolve("admin-password")).exists();
  }

  @Test
  void aSecondServerOnARunningDataDirectoryIsRefusedAndTheFirstKeepsRunning() throws SQLException {
    Path dir = temp.resolve("shared");
    try (PostgresCluster first = PostgresCluster.embedded(EmbeddedOptions.persistent(dir, 0))) {
      assertThatThrownBy(() -> PostgresCluster.embedded(EmbeddedOptions.persistent(dir, 0)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(dir.toString())
          .hasMessageContaining("another embedded server is running on this data directory");
      assertThat(queryString(first.adminDataSource("postgres"), "SELECT 1")).isEqualTo("1");
    }
  }

  @Test
  void aDataDirectoryWithoutPasswordFileIsRefusedWithAWayOut() throws Exception {
    Path dir = temp.resolve("foreign");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("postgresql.conf"), "", UTF_8);
    assertThatThrownBy(() -> PostgresCluster.embedded(EmbeddedOptions.persistent(dir, 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("admin-password")
        .hasMessageContaining("delete the directory");
  }

  private static void assertDurable(DataSource admin) throws SQLException {
    assertThat(queryString(admin, "SHOW fsync")).isEqualTo("on");
    assertThat(queryString(admin, "SHOW synchronous_commit")).isEqualTo("on");
    assertThat(queryString(admin, "SHOW full_page_writes")).isEqualTo("on");
    assertThat(queryString(admin, "SHOW shared_buffers")).isEqualTo("128MB");
  }
}
