package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.engine.Engine;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.LogLines;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import dev.iasql.testkit.TestDatabases;
import java.sql.Connection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A database dropped while, or right after, a call runs: the worker may still be finishing the call (writing its
 * outcome, unlocking, handing its connection back) when the engine detaches the database and closes its pool. Detach
 * waits for it (bounded), so nothing fails in the bridge itself.
 */
@ExtendWith(IasqlExtension.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DropAfterCallTest {

  @Test
  void droppingADatabaseWhileItsCallRunsLogsNoBridgeFailure(TestDatabases dbs, Engine engine) throws Exception {
    ExecutorService callers = Executors.newSingleThreadExecutor();
    try (LogLines log = LogLines.of(Worker.class)) {
      for (int i = 0; i < 3; i++) {
        TestDatabase db = dbs.create();
        Future<?> call = callers.submit(() -> {
          try (Connection c = db.tenant()) {
            return Sql.rows(c, "SELECT * FROM iasql_install('test_slow')");
          }
        });
        try (Connection admin = db.admin()) {
          while (!"running".equals(Sql.value(admin, "SELECT coalesce(max(status), '') FROM iasql_operation"))) {
            Thread.sleep(10);
          }
        }
        engine.dropDatabase(db.name());
        // the caller's session ends with its database
        assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
      }
      assertThat(log.lines().stream().filter(l -> l.atLeast("WARN"))).isEmpty();
    } finally {
      callers.shutdownNow();
    }
  }
}
