package dev.iasql.functions;

import static dev.iasql.functions.TestModules.LATEST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** iasql_connect / iasql_db_list / iasql_disconnect in the metadata database, for the cluster's admin. */
@ExtendWith(IasqlExtension.class)
class MetadataFunctionsTest {

  private static Connection metadata(PostgresCluster cluster) throws Exception {
    return DriverManager.getConnection(cluster.jdbcUrl(Engine.METADATA_DATABASE), cluster.adminUser(),
        cluster.adminPassword());
  }

  @Test
  void connectCreatesADatabaseWhoseUrlWorksAndWhosePasswordIsNotKept(Engine engine, PostgresCluster cluster)
      throws Exception {
    String name = "t_connect_" + ProcessHandle.current().pid();
    try (Connection meta = metadata(cluster)) {
      Map<String, Object> row = Sql.rows(meta, "SELECT * FROM iasql_connect(?)", name).get(0);
      assertThat(row.keySet()).containsExactly("name", "pg_user", "pg_password", "connection_url");
      assertThat(row.get("name")).isEqualTo(name);
      String password = (String) row.get("pg_password");
      assertThat(password).hasSizeGreaterThanOrEqualTo(32);

      URI url = URI.create((String) row.get("connection_url"));
      String[] userInfo = url.getRawUserInfo().split(":", 2);
      assertThat(URLDecoder.decode(userInfo[0], StandardCharsets.UTF_8)).isEqualTo(row.get("pg_user"));
      assertThat(URLDecoder.decode(userInfo[1], StandardCharsets.UTF_8)).isEqualTo(password);
      try (Connection tenant = DriverManager.getConnection(
          "jdbc:postgresql://" + url.getHost() + ":" + url.getPort() + url.getPath(), (String) row.get("pg_user"),
          password)) {
        assertThat(Sql.rows(tenant, "SELECT * FROM iasql_install('test_base')")).hasSize(2);
      }

      assertThat(Sql.rows(meta, "SELECT name, release, upgrade_state FROM iasql_db_list() WHERE name = ?", name))
          .containsExactly(Map.of("name", name, "release", LATEST, "upgrade_state", "idle"));
      // The operation log keeps that a database was made, never its password.
      List<Map<String, Object>> ops = Sql.rows(meta, "SELECT output::text AS output, transient_output"
          + " FROM iasql_operation WHERE optype = 'CONNECT' AND params = ARRAY[?::text]", name);
      assertThat(ops).hasSize(1);
      assertThat((String) ops.get(0).get("output")).contains("(redacted)").doesNotContain(password);
      assertThat(ops.get(0).get("transient_output")).isNull();

      assertThat(Sql.rows(meta, "SELECT * FROM iasql_disconnect(?)", name)).containsExactly(Map.of("name", name));
      assertThat(Sql.rows(meta, "SELECT * FROM iasql_db_list() WHERE name = ?", name)).isEmpty();
      assertThat(Sql.failure(meta, "SELECT * FROM iasql_disconnect(?)", name).getSQLState()).isEqualTo("IQ303");
    }
  }

  @Test
  void connectRefusesANameTakenTwice(Engine engine, PostgresCluster cluster) throws Exception {
    String name = "t_twice_" + ProcessHandle.current().pid();
    try (Connection meta = metadata(cluster)) {
      Sql.rows(meta, "SELECT * FROM iasql_connect(?)", name);
      try {
        assertThat(Sql.failure(meta, "SELECT * FROM iasql_connect(?)", name).getSQLState()).isEqualTo("IQ302");
      } finally {
        Sql.rows(meta, "SELECT * FROM iasql_disconnect(?)", name);
      }
    }
  }
}
