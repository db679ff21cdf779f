package dev.iasql.functions;

import static dev.iasql.functions.TestModules.LATEST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.Call;
import dev.iasql.engine.Engine;
import dev.iasql.engine.UpgradeResult;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;

/**
 * Results and logs as IaSQL v0.0.20 gives them (src/modules/0.0.20/iasql_functions, src/services/iasql.ts): versioned
 * module names where IaSQL shows them, its optype values, one log row per call, and "Up to date" from an upgrade
 * that has nothing to do.
 */
@ExtendWith(IasqlExtension.class)
class IasqlResultsTest {

  @Test
  void modulesAreNamedWithTheirVersionAndFoundByEither(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      assertThat(Sql.rows(c, "SELECT module_name, created_table_name FROM iasql_install(?)", "test_base@" + LATEST))
          .extracting(r -> r.get("module_name") + " " + r.get("created_table_name"))
          .containsExactly("test_base@" + LATEST + " test_base_item", "test_base@" + LATEST + " test_base_tag");
      assertThat(Sql.rows(c, "SELECT module_name FROM iasql_install('test_child')"))
          .extracting(r -> r.get("module_name")).containsExactly("test_child@" + LATEST);
      assertThat(Sql.rows(c, "SELECT name FROM iasql_module WHERE name LIKE 'test_%' ORDER BY 1"))
          .extracting(r -> r.get("name")).containsExactly("test_base@" + LATEST, "test_child@" + LATEST);
      assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_installed() WHERE module_name = 'test_child'"))
          .containsExactly(Map.of("module_name", "test_child", "module_version", LATEST, "dependencies",
              List.of("iasql_platform@" + LATEST, "test_base@" + LATEST)));

      PSQLException other = Sql.failure(c, "SELECT * FROM iasql_install('test_grandchild@0.0.19')");
      assertThat(other.getSQLState()).isEqualTo("IQ206");
      assertThat(other.getServerErrorMessage().getMessage()).contains("\"test_grandchild@0.0.19\"")
          .contains("release " + LATEST).contains("test_grandchild@" + LATEST);
      assertThat(Sql.hint(other)).contains("without a version");
      assertThat(Sql.failure(c, "SELECT * FROM iasql_uninstall('test_child@1.0.0')").getSQLState())
          .isEqualTo("IQ206");

      assertThat(Sql.rows(c, "SELECT module_name, dropped_table_name FROM iasql_uninstall(?)", "test_child@" + LATEST))
          .extracting(r -> r.get("module_name") + " " + r.get("dropped_table_name"))
          .containsExactly("test_child@" + LATEST + " test_child_item");
    }
  }

  @Test
  void everyCallLeavesOneRowWithIasqlsOptype(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      Sql.rows(c, "SELECT * FROM iasql_install('test_base')");
      Sql.rows(c, "SELECT * FROM iasql_modules_list()");
      Sql.failure(c, "SELECT * FROM iasql_apply()"); // no cloud account: an error, logged all the same
      Sql.failure(c, "SELECT * FROM iasql_preview_apply()");
      Sql.failure(c, "SELECT * FROM iasql_sync()");
      Sql.failure(c, "SELECT * FROM iasql_preview_sync()");
      assertThat(Sql.value(c, "SELECT iasql_upgrade()")).isEqualTo("Up to date");
      Sql.rows(c, "SELECT * FROM iasql_uninstall('test_base')");
      List<Map<String, Object>> ops = Sql.rows(c, "SELECT optype, status, err->>'message' AS message"
          + " FROM iasql_operation ORDER BY id");
      assertThat(ops).extracting(r -> r.get("optype") + " " + r.get("status")).containsExactly(
          "INSTALL done", "LIST done", "APPLY error", "PLAN_APPLY error", "SYNC error", "PLAN_SYNC error",
          "UPGRADE done", "UNINSTALL done");
      assertThat(ops).filteredOn(r -> "error".equals(r.get("status"))).extracting(r -> (String) r.get("message"))
          .allSatisfy(m -> assertThat(m).contains("no cloud account"));
      assertThat(Sql.value(c, "SELECT output->0->>'value' FROM iasql_operation WHERE optype = 'UPGRADE'"))
          .isEqualTo("Up to date");
    }
  }

  @Test
  void anUpgradeThroughTheJavaApiIsLoggedToo(TestDatabase db, Engine engine) throws Exception {
    UpgradeResult result = engine.upgrade(db.databaseName(), Call.create());
    assertThat(result.message()).isEqualTo("Up to date");
    try (Connection c = db.tenant()) {
      assertThat(Sql.rows(c, "SELECT optype, status, output->0->>'value' AS output FROM iasql_operation"))
          .containsExactly(Map.of("optype", "UPGRADE", "status", "done", "output", "Up to date"));
    }
  }
}
