package dev.iasql.functions;

import static dev.iasql.functions.TestModules.LATEST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(IasqlExtension.class)
class SmokeTest {
  @Test
  void tenantInstallsThroughTheBridge(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      assertThat(Sql.rows(c, "SELECT * FROM iasql_install('test_child')"))
          .extracting(r -> r.get("module_name") + "." + r.get("created_table_name"))
          .containsExactly("test_base@" + LATEST + ".test_base_item", "test_base@" + LATEST + ".test_base_tag",
              "test_child@" + LATEST + ".test_child_item");
      assertThat(Sql.rows(c, "SELECT module_name FROM iasql_modules_installed()"))
          .extracting(r -> r.get("module_name"))
          .containsExactly("iasql_functions", "iasql_platform", "test_base", "test_child");
    }
  }
}
