package dev.iasql.functions;

import static dev.iasql.functions.TestModules.LATEST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;

/** iasql_install / iasql_uninstall through the bridge, as the tenant, with the results IaSQL v0.0.20 returns. */
@ExtendWith(IasqlExtension.class)
class InstallFunctionsTest {

  private static List<String> installed(Connection c) throws Exception {
    return Sql.rows(c, "SELECT module_name FROM iasql_modules_installed()").stream()
        .map(r -> (String) r.get("module_name")).toList();
  }

  private static boolean tableExists(Connection c, String table) throws Exception {
    return Sql.value(c, "SELECT to_regclass(?) IS NOT NULL", "public." + table).equals(true);
  }

  @Test
  void installIsIdempotentAndToleratesRepeats(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      List<Map<String, Object>> first = Sql.rows(c, "SELECT * FROM iasql_install('test_base', 'test_base')");
      assertThat(first).extracting(r -> r.get("created_table_name"))
          .containsExactly("test_base_item", "test_base_tag");
      assertThat(first).extracting(r -> r.get("record_count")).containsOnly(0);
      Sql.exec(c, "INSERT INTO test_base_item (name) VALUES ('kept')");
      // As IaSQL v0.0.20: a second install changes nothing, yet still answers with the module's tables and counts.
      assertThat(Sql.rows(c, "SELECT * FROM iasql_install('test_base')")).as("second install is a no-op")
          .extracting(r -> r.get("module_name") + "." + r.get("created_table_name") + "=" + r.get("record_count"))
          .containsExactly("test_base@" + LATEST + ".test_base_item=1", "test_base@" + LATEST + ".test_base_tag=0");
      assertThat(installed(c)).containsExactly("iasql_functions", "iasql_platform", "test_base");
      assertThat(Sql.rows(c, "SELECT module, dependency FROM iasql_dependencies WHERE module LIKE 'test_%'"))
          .as("as in IaSQL, every module depends on the platform").extracting(r -> r.get("module") + "->"
              + r.get("dependency")).containsExactly("test_base@" + LATEST + "->iasql_platform@" + LATEST);
    }
  }

  @Test
  void installResolvesDependenciesTransitivelyAndRecordsThem(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      assertThat(Sql.rows(c, "SELECT module_name FROM iasql_install('test_grandchild')"))
          .extracting(r -> r.get("module_name"))
          .containsExactly("test_base@" + LATEST, "test_base@" + LATEST, "test_child@" + LATEST,
              "test_grandchild@" + LATEST);
      assertThat(Sql.rows(c, "SELECT module, dependency FROM iasql_dependencies ORDER BY 1"))
          .extracting(r -> r.get("module") + "->" + r.get("dependency"))
          .contains("test_child@" + LATEST + "->test_base@" + LATEST,
              "test_grandchild@" + LATEST + "->test_child@" + LATEST);
      assertThat(Sql.rows(c, "SELECT dependencies FROM iasql_modules_installed() WHERE module_name = 'test_child'"))
          .extracting(r -> r.get("dependencies"))
          .containsExactly(List.of("iasql_platform@" + LATEST, "test_base@" + LATEST));
      assertThat(Sql.rows(c, "SELECT \"table\", module FROM iasql_tables WHERE module LIKE 'test_%' ORDER BY 1"))
          .extracting(r -> r.get("table") + "@" + r.get("module"))
          .containsExactly("test_base_item@test_base@" + LATEST, "test_base_tag@test_base@" + LATEST,
              "test_child_item@test_child@" + LATEST, "test_grandchild_item@test_grandchild@" + LATEST);
    }
  }

  @Test
  void tenantCanUseInstalledTablesAndChangesAreAudited(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      Sql.rows(c, "SELECT * FROM iasql_install('test_child')");
      Sql.rows(c, "INSERT INTO test_base_item (name) VALUES (?) RETURNING id", "web");
      Sql.rows(c, "UPDATE test_base_item SET name = ? WHERE name = ? RETURNING id", "api", "web");
      Sql.rows(c, "DELETE FROM test_base_item WHERE name = ? RETURNING id", "api");
      assertThat(Sql.rows(c, "SELECT \"user\", table_name, change_type::text AS t, change::text AS change"
          + " FROM iasql_audit_log ORDER BY id"))
          .extracting(r -> r.get("user") + " " + r.get("table_name") + " " + r.get("t"))
          .containsExactly(db.created().pgUser() + " test_base_item INSERT",
              db.created().pgUser() + " test_base_item UPDATE",
              db.created().pgUser() + " test_base_item DELETE");
      assertThat((String) Sql.value(c, "SELECT change::text FROM iasql_audit_log WHERE change_type = 'UPDATE'"))
          .contains("\"original\"").contains("\"web\"").contains("\"api\"");
    }
  }

  @Test
  void unknownModuleNamesTheClosestOnes(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      PSQLException e = Sql.failure(c, "SELECT * FROM iasql_install('test_bsae')");
      assertThat(e.getSQLState()).isEqualTo("IQ201");
      assertThat(e.getMessage()).contains("test_bsae");
      assertThat(Sql.hint(e)).contains("did you mean").contains("test_base");
      assertThat(e.getServerErrorMessage().getWhere()).as("one frame of context, the function the user called")
          .startsWith("PL/pgSQL function public.iasql_install(text[])").doesNotContain("\n");
      assertThat(installed(c)).containsExactly("iasql_functions", "iasql_platform");
    }
  }

  @Test
  void installIsAllOrNothing(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      PSQLException e = Sql.failure(c, "SELECT * FROM iasql_install('test_base', 'test_broken')");
      assertThat(e.getSQLState()).isEqualTo("IQ205");
      assertThat(e.getMessage()).contains("test_broken").contains("no_such_function");
      assertThat(installed(c)).containsExactly("iasql_functions", "iasql_platform");
      assertThat(tableExists(c, "test_base_item")).isFalse();
      assertThat(tableExists(c, "test_broken_item")).isFalse();
      // and the database is still fully usable afterwards
      assertThat(Sql.rows(c, "SELECT * FROM iasql_install('test_base')")).hasSize(2);
    }
  }

  @Test
  void tableNameCollisionIsRefusedAndNamesTheOwner(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      Sql.rows(c, "SELECT * FROM iasql_install('test_base')");
      PSQLException e = Sql.failure(c, "SELECT * FROM iasql_install('test_collide')");
      assertThat(e.getSQLState()).isEqualTo("IQ203");
      assertThat(e.getMessage()).contains("test_base_item").contains("test_base").contains("test_collide");
      assertThat(installed(c)).doesNotContain("test_collide");
    }
  }

  @Test
  void uninstallIsRefusedWhileADependantRemainsAndNamesIt(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      Sql.rows(c, "SELECT * FROM iasql_install('test_grandchild')");
      PSQLException e = Sql.failure(c, "SELECT * FROM iasql_uninstall('test_base')");
      assertThat(e.getSQLState()).isEqualTo("IQ202");
      assertThat(e.getServerErrorMessage().getMessage()).contains("test_base");
      assertThat(e.getServerErrorMessage().getDetail()).as("the detail adds who needs it, not the message again")
          .isEqualTo("test_base is needed by test_child")
          .isNotEqualTo(e.getServerErrorMessage().getMessage());
      assertThat(Sql.hint(e)).contains("test_child");
      assertThat(installed(c)).contains("test_base", "test_child", "test_grandchild");
    }
  }

  @Test
  void uninstallTogetherWithItsDependantsDropsTablesAndCountsRows(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      Sql.rows(c, "SELECT * FROM iasql_install('test_child')");
      Sql.rows(c, "INSERT INTO test_base_item (name) VALUES ('a'), ('b') RETURNING id");
      List<Map<String, Object>> dropped = Sql.rows(c, "SELECT * FROM iasql_uninstall('test_base', 'test_child')");
      assertThat(dropped).extracting(r -> r.get("module_name") + "." + r.get("dropped_table_name") + "="
          + r.get("record_count"))
          .containsExactly("test_child@" + LATEST + ".test_child_item=0", "test_base@" + LATEST + ".test_base_item=2",
              "test_base@" + LATEST + ".test_base_tag=0");
      assertThat(installed(c)).containsExactly("iasql_functions", "iasql_platform");
      assertThat(tableExists(c, "test_base_item")).isFalse();
      assertThat(Sql.rows(c, "SELECT * FROM iasql_tables WHERE module LIKE 'test_%'")).isEmpty();
      assertThat(Sql.rows(c, "SELECT * FROM iasql_uninstall('test_base')")).as("not installed: no-op").isEmpty();
      // re-install after uninstall works
      assertThat(Sql.rows(c, "SELECT * FROM iasql_install('test_child')")).hasSize(3);
    }
  }

  @Test
  void platformModulesCannotBeUninstalled(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      for (String m : List.of("iasql_platform", "iasql_functions")) {
        PSQLException e = Sql.failure(c, "SELECT * FROM iasql_uninstall(?)", m);
        assertThat(e.getSQLState()).as(m).isEqualTo("IQ204");
      }
      assertThat(installed(c)).containsExactly("iasql_functions", "iasql_platform");
    }
  }

  @Test
  void emptyAndNullArgumentsAreClearErrors(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      assertThat(Sql.failure(c, "SELECT * FROM iasql_install(VARIADIC ARRAY[]::text[])").getSQLState())
          .isEqualTo("IQ401");
      assertThat(Sql.failure(c, "SELECT * FROM iasql_install(NULL)").getSQLState()).isEqualTo("IQ201");
      assertThat(Sql.failure(c, "SELECT * FROM iasql_install('')").getSQLState()).isEqualTo("IQ201");
      assertThat(Sql.failure(c, "SELECT * FROM iasql_uninstall(VARIADIC NULL::text[])").getSQLState())
          .isEqualTo("IQ401");
    }
  }
}
