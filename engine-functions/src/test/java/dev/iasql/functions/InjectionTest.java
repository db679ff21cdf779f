package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.util.PSQLException;

/**
 * Arguments are data, never SQL: a corpus of hostile strings goes through every function that takes an argument, and
 * each must come back as that function's own "bad argument" error with nothing else changed.
 */
@ExtendWith(IasqlExtension.class)
class InjectionTest {

  static Stream<String> corpus() {
    return Stream.of(
        "'; DROP TABLE canary; --",
        "x'); DROP TABLE canary; --",
        "\"; DROP TABLE canary; --",
        "test_base'); SELECT pg_sleep(5); --",
        "$$; DROP TABLE canary; $$",
        "$fn$ DROP TABLE canary $fn$",
        "test_base\\'; DROP TABLE canary; --",
        "%I%L%s",
        "' || (SELECT pg_terminate_backend(pg_backend_pid())) || '",
        "test_base\n; DROP TABLE canary",
        "test_base; DROP ROLE postgres",
        "{test_base,test_child}",
        "\"test_base\"",
        "' OR '1'='1",
        "\\x41",
        "iasql_platform' UNION SELECT 'x",
        "a".repeat(255)); // the most a name argument may be (IQ403 beyond: ArgumentLimitTest)
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void moduleFunctionsTreatArgumentsAsNames(String hostile, TestDatabase db) throws Exception {
    try (Connection c = db.tenant(); Connection admin = db.admin()) {
      try (java.sql.Statement s = admin.createStatement()) {
        s.execute("CREATE TABLE canary (id int)");
      }
      for (String f : List.of("iasql_install", "iasql_uninstall")) {
        PSQLException e = Sql.failure(c, "SELECT * FROM " + f + "(?)", hostile);
        assertThat(e.getSQLState()).as(f + " with " + hostile).isEqualTo("IQ201");
        e = Sql.failure(c, "SELECT * FROM " + f + "('test_base', ?)", hostile);
        assertThat(e.getSQLState()).as(f + " with a good name and " + hostile).isEqualTo("IQ201");
      }
      assertThat(Sql.value(admin, "SELECT to_regclass('public.canary') IS NOT NULL")).isEqualTo(true);
      assertThat(Sql.rows(c, "SELECT module_name FROM iasql_modules_installed()")).hasSize(2);
      assertThat(Sql.value(c, "SELECT count(*) FROM iasql_operation WHERE status = 'error'")).isEqualTo(4L);
    }
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void adminFunctionsTreatArgumentsAsNames(String hostile, Engine engine, PostgresCluster cluster)
      throws Exception {
    int before = engine.listDatabases().size();
    try (Connection meta = DriverManager.getConnection(cluster.jdbcUrl(Engine.METADATA_DATABASE),
        cluster.adminUser(), cluster.adminPassword())) {
      long roles = (Long) Sql.value(meta, "SELECT count(*) FROM pg_roles");
      String arg = hostile;
      assertThat(Sql.failure(meta, "SELECT * FROM iasql_connect(?)", arg).getSQLState()).isEqualTo("IQ301");
      assertThat(Sql.failure(meta, "SELECT * FROM iasql_disconnect(?)", arg).getSQLState()).isEqualTo("IQ301");
      assertThat(Sql.value(meta, "SELECT count(*) FROM pg_roles")).isEqualTo(roles);
      assertThat(Sql.value(meta, "SELECT count(*) FROM pg_database WHERE datname = 'postgres'")).isEqualTo(1L);
    }
    assertThat(engine.listDatabases()).hasSize(before);
  }
}
