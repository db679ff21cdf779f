package dev.iasql.functions;

import static dev.iasql.functions.TestModules.LATEST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;

/**
 * Argument sizes are limited at the SQL boundary: a tenant's oversized argument is refused by the generated function
 * itself (IQ403), before a request is queued, so the engine never holds, parses or logs it.
 */
@ExtendWith(IasqlExtension.class)
class ArgumentLimitTest {
  private static final String LIMIT_STATE = "IQ403";

  @Test
  void aHundredMegabyteModuleNameIsRefusedBeforeItIsQueued(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      long operations = operations(c);
      long started = System.nanoTime();
      Sql.value(c, "SELECT octet_length(repeat('b', 100 * 1024 * 1024))");
      long baseline = (System.nanoTime() - started) / 1_000_000;
      started = System.nanoTime();
      PSQLException e = Sql.failure(c, "SELECT * FROM iasql_install(repeat('b', 100 * 1024 * 1024))");
      long millis = (System.nanoTime() - started) / 1_000_000;
      System.out.printf("iasql_install of a 100 MB name refused in %d ms (making the value alone: %d ms)%n", millis,
          baseline);
      assertThat(e.getSQLState()).isEqualTo(LIMIT_STATE);
      assertThat(e.getServerErrorMessage().getMessage())
          .isEqualTo("value 1 of argument _mods of iasql_install is 104857600 bytes long; the limit is 255 bytes");
      assertThat(Sql.hint(e)).contains("at most 63 characters");
      // Seconds on a loaded 2-core machine; the engine took 49 s (and 1.5 GB, and logged 105 MB) before the limit.
      assertThat(millis).as("refused at once, not after the engine chewed on it").isLessThan(20_000);
      assertThat(operations(c)).as("nothing was queued").isEqualTo(operations);
    }
  }

  @Test
  void everyValueOfAVariadicArgumentIsMeasuredInBytes(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      long operations = operations(c);
      PSQLException e = Sql.failure(c, "SELECT * FROM iasql_uninstall('test_base', repeat('é', 128))");
      assertThat(e.getSQLState()).isEqualTo(LIMIT_STATE);
      assertThat(e.getServerErrorMessage().getMessage())
          .isEqualTo("value 2 of argument _mods of iasql_uninstall is 256 bytes long; the limit is 255 bytes");
      assertThat(operations(c)).isEqualTo(operations);
    }
  }

  @Test
  void tooManyValuesAreRefused(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      long operations = operations(c);
      PSQLException e = Sql.failure(c, "SELECT * FROM iasql_install(VARIADIC array_fill('x'::text, ARRAY[100000]))");
      assertThat(e.getSQLState()).isEqualTo(LIMIT_STATE);
      assertThat(e.getServerErrorMessage().getMessage())
          .isEqualTo("argument _mods of iasql_install has 100000 values; the limit is 256");
      assertThat(operations(c)).isEqualTo(operations);
    }
  }

  @Test
  void valuesUpToTheLimitReachTheEngine(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      long operations = operations(c);
      // 255 bytes: not a module name, but the engine's to judge (IQ201), and the call is logged as usual.
      PSQLException e = Sql.failure(c, "SELECT * FROM iasql_install(repeat('b', 255))");
      assertThat(e.getSQLState()).isEqualTo("IQ201");
      assertThat(operations(c)).isEqualTo(operations + 1);
      assertThat(Sql.rows(c, "SELECT * FROM iasql_install(VARIADIC array_fill('test_base'::text, ARRAY[256]))"))
          .extracting(r -> r.get("module_name")).containsOnly("test_base@" + LATEST);
    }
  }

  @Test
  void theAdminFunctionsAreLimitedToo(Engine engine, PostgresCluster cluster) throws Exception {
    int databases = engine.listDatabases().size();
    try (Connection meta = DriverManager.getConnection(cluster.jdbcUrl(Engine.METADATA_DATABASE),
        cluster.adminUser(), cluster.adminPassword())) {
      PSQLException e = Sql.failure(meta, "SELECT * FROM iasql_connect(repeat('a', 1000))");
      assertThat(e.getSQLState()).isEqualTo(LIMIT_STATE);
      assertThat(e.getServerErrorMessage().getMessage())
          .isEqualTo("argument _name of iasql_connect is 1000 bytes long; the limit is 255 bytes");
      e = Sql.failure(meta, "SELECT * FROM iasql_connect('fine', repeat('9', 300))");
      assertThat(e.getServerErrorMessage().getMessage())
          .isEqualTo("argument _release of iasql_connect is 300 bytes long; the limit is 255 bytes");
      e = Sql.failure(meta, "SELECT * FROM iasql_disconnect(repeat('a', 256))");
      assertThat(e.getSQLState()).isEqualTo(LIMIT_STATE);
    }
    assertThat(engine.listDatabases()).hasSize(databases);
  }

  @Test
  void everyEngineBackedFunctionHasItsArgumentsChecked() {
    for (SqlFunction f : FunctionRegistry.ALL) {
      if (f.body() instanceof SqlFunction.EngineCall && !f.parameters().isEmpty()) {
        assertThat(BridgeSql.argumentChecks(f)).as(f.name()).contains(LIMIT_STATE);
      }
    }
  }

  private static long operations(Connection c) throws Exception {
    return (Long) Sql.value(c, "SELECT count(*) FROM iasql_operation");
  }
}
