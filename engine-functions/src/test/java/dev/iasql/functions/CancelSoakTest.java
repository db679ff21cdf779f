package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;

/**
 * Many calls, cut short at random moments (while queued, while claimed, mid-statement, between statements), leave
 * nothing behind: every row ends in a final state, no request lock is held, and the database keeps working.
 * Seeded, so a failure replays.
 */
@ExtendWith(IasqlExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CancelSoakTest {
  private static final long SEED = 20261124L;

  @Test
  void randomCancellationsLeaveNoStuckRowsLocksOrConnections(TestDatabase db) throws Exception {
    Random random = new Random(SEED);
    int calls = 24;
    List<Integer> timeouts = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      timeouts.add(1 + random.nextInt(1500)); // ms: from "still queued" to "deep in test_slowish's sleep"
    }
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<String>> outcomes = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        int timeout = timeouts.get(i);
        String module = i % 3 == 0 ? "test_slow" : "test_slowish";
        outcomes.add(pool.submit(() -> {
          try (Connection c = db.tenant()) {
            Sql.rows(c, "SELECT set_config('statement_timeout', ?, false)", Integer.toString(timeout));
            Sql.rows(c, "SELECT * FROM iasql_install(?)", module);
            return "done";
          } catch (PSQLException e) {
            return e.getSQLState();
          }
        }));
      }
      for (Future<String> f : outcomes) {
        assertThat(f.get(120, TimeUnit.SECONDS)).as("each call either finishes or is cancelled")
            .isIn("done", "57014");
      }
    } finally {
      pool.shutdownNow();
    }
    try (Connection c = db.tenant(); Connection admin = db.admin()) {
      for (int i = 0; i < 200 && (Long) Sql.value(c, "SELECT count(*) FROM iasql_operation WHERE status IN"
          + " ('pending', 'running', 'cancelling')") > 0; i++) {
        Thread.sleep(50);
      }
      assertThat(Sql.rows(c, "SELECT status FROM iasql_operation WHERE status NOT IN ('done', 'cancelled',"
          + " 'error', 'expired')")).as("every call reached a final state").isEmpty();
      assertThat(Sql.value(admin, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = ?"
          + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
          (long) BridgeSql.REQUEST_CLASS)).as("no request lock is left held").isEqualTo(0L);
      assertThat(Sql.value(admin, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
          + " AND query LIKE '%pg_sleep%' AND state = 'active' AND pid <> pg_backend_pid()"))
          .as("no sleep left running").isEqualTo(0L);
      // The database and the engine's pool still work, several calls at once.
      for (int i = 0; i < 10; i++) {
        assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
      }
      List<Object> installed = Sql.rows(c, "SELECT module_name FROM iasql_modules_installed()").stream()
          .map(r -> r.get("module_name")).toList();
      assertThat(installed).contains("iasql_platform", "iasql_functions");
      if (installed.contains("test_slowish")) {
        assertThat(installed).as("a module is never installed without its dependency").contains("test_base");
      }
    }
  }
}
