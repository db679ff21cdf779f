package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.iasql.engine.Engine;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import dev.iasql.testkit.TestDatabases;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

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
    Logger worker = (Logger) LoggerFactory.getLogger(Worker.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    worker.addAppender(log);
    ExecutorService callers = Executors.newSingleThreadExecutor();
    try {
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
    } finally {
      callers.shutdownNow();
      worker.detachAppender(log);
    }
    List<String> problems = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(problems).isEmpty();
  }
}
