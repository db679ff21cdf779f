package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.engine.Call;
import dev.iasql.engine.Cancellation;
import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Cancelling through the Java API stops the work wherever it is, even between two statements. */
@ExtendWith(IasqlExtension.class)
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class CancellationTest {

  @Test
  void aCancelBetweenTwoStatementsStillStopsTheNextOne(TestDatabase db, Engine engine) throws Exception {
    Cancellation cancellation = Cancellation.create();
    // Progress is reported after test_base is installed and before test_slow_after_base's sleep starts: no
    // statement runs at that moment, so a plain JDBC cancel would be ignored and the sleep would run for 60 s.
    Call call = new Call(cancellation, message -> cancellation.cancel(), null);
    assertThatThrownBy(() -> engine.install(engine.permit(db.databaseName()), List.of("test_slow_after_base"), call))
        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
    try (Connection c = db.tenant()) {
      assertThat(Sql.rows(c, "SELECT module_name FROM iasql_modules_installed()")).extracting(r -> r.get("module_name"))
          .containsExactly("iasql_functions", "iasql_platform");
      assertThat(Sql.value(c, "SELECT status FROM iasql_operation")).isEqualTo("cancelled");
    }
  }

  @Test
  void aCancelDuringAStatementStopsIt(TestDatabase db, Engine engine) throws Exception {
    Cancellation cancellation = Cancellation.create();
    Thread canceller = new Thread(() -> {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      cancellation.cancel();
    });
    canceller.start();
    assertThatThrownBy(() -> engine.install(engine.permit(db.databaseName()), List.of("test_slow"),
        new Call(cancellation, Call.Progress.NONE, null)))
        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
    canceller.join();
  }
}
