package dev.iasql.functions;

import static dev.iasql.functions.TestModules.LATEST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.functions.SqlFunction.Scope;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** iasql_modules_list, iasql_version, iasql_help and the operation log. */
@ExtendWith(IasqlExtension.class)
class CatalogFunctionsTest {

  @Test
  void modulesListShowsEveryModuleWithVersionAndDependencies(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      List<Map<String, Object>> rows = Sql.rows(c, "SELECT * FROM iasql_modules_list()");
      // As IaSQL v0.0.20: the platform's own modules are not listed, names are bare, dependencies versioned.
      assertThat(rows).extracting(r -> r.get("module_name"))
          .contains("test_base", "test_child", "test_grandchild")
          .doesNotContain("iasql_platform", "iasql_functions")
          .isSorted();
      assertThat(rows).filteredOn(r -> "test_child".equals(r.get("module_name")))
          .extracting(r -> r.get("module_version") + " " + r.get("dependencies"))
          .containsExactly(LATEST + " [test_base@" + LATEST + "]");
    }
  }

  @Test
  void versionIsThePlatformRelease(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      assertThat(Sql.value(c, "SELECT version FROM iasql_version()")).isEqualTo(LATEST);
    }
  }

  @Test
  void helpIsGeneratedFromTheRegistry(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      List<Map<String, Object>> rows = Sql.rows(c, "SELECT * FROM iasql_help()");
      List<SqlFunction> registry = FunctionRegistry.in(Scope.USER_DATABASE);
      assertThat(rows).extracting(r -> r.get("name") + "|" + r.get("signature") + "|" + r.get("description") + "|"
          + r.get("sample_usage"))
          .containsExactlyElementsOf(registry.stream().map(f -> f.helpName() + "|" + f.helpSignature() + "|"
              + f.description() + "|" + f.sampleUsage()).toList());
      // every function help lists exists in the database with that name, and every sample runs (or fails only
      // because the sample names modules this test engine does not have)
      for (SqlFunction f : registry) {
        assertThat(Sql.value(c, "SELECT count(*) FROM pg_proc WHERE proname = ?", f.name())).as(f.name())
            .isEqualTo(1L);
      }
      assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
    }
  }

  @Test
  void everyCallLeavesAnOperationRow(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      Sql.rows(c, "SELECT * FROM iasql_install('test_base')");
      Sql.failure(c, "SELECT * FROM iasql_install('nope')");
      List<Map<String, Object>> ops = Sql.rows(c, "SELECT optype, params, status, requested_by,"
          + " start_date <= end_date AS timed, output::text AS output, err::text AS err"
          + " FROM iasql_operation ORDER BY id");
      assertThat(ops).hasSize(2);
      assertThat(ops.get(0)).containsEntry("optype", "INSTALL").containsEntry("params", List.of("test_base"))
          .containsEntry("status", "done").containsEntry("requested_by", db.created().pgUser())
          .containsEntry("timed", true).containsEntry("err", null);
      assertThat((String) ops.get(0).get("output")).contains("test_base_item");
      assertThat(ops.get(1)).containsEntry("status", "error").containsEntry("params", List.of("nope"))
          .containsEntry("output", null);
      assertThat((String) ops.get(1).get("err")).contains("IQ201").contains("nope");
    }
  }
}
