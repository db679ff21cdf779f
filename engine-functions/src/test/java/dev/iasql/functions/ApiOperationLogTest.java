package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.engine.Call;
import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Calls made through the Java API leave their row in iasql_operation too, and are not run a second time. */
@ExtendWith(IasqlExtension.class)
class ApiOperationLogTest {

  @Test
  void javaApiCallsAreLoggedLikeSqlCalls(TestDatabase db, Engine engine) throws Exception {
    engine.install(engine.permit(db.databaseName()), List.of("test_base"), Call.create());
    assertThatThrownBy(() -> engine.uninstall(engine.permit(db.databaseName()), List.of("test_nope"),
        Call.create())).isInstanceOf(EngineException.class);
    try (Connection c = db.tenant()) {
      List<Map<String, Object>> ops = Sql.rows(c, "SELECT optype, params, status, output::text AS output,"
          + " err->>'code' AS code, end_date >= start_date AS ended FROM iasql_operation ORDER BY id");
      assertThat(ops).hasSize(2);
      assertThat(ops.get(0)).containsEntry("optype", "INSTALL").containsEntry("params", List.of("test_base"))
          .containsEntry("status", "done").containsEntry("ended", true).containsEntry("code", null);
      assertThat((String) ops.get(0).get("output")).contains("test_base_item");
      assertThat(ops.get(1)).containsEntry("optype", "UNINSTALL").containsEntry("status", "error")
          .containsEntry("code", "IQ201").containsEntry("output", null);
      // Logged calls are not requests: the bridge never picks them up and runs them again.
      Thread.sleep(300);
      assertThat(Sql.value(c, "SELECT count(*) FROM iasql_module WHERE name LIKE 'test_base@%'")).isEqualTo(1L);
      assertThat(Sql.rows(c, "SELECT status FROM iasql_operation ORDER BY id")).extracting(r -> r.get("status"))
          .containsExactly("done", "error");
    }
  }
}
