package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import dev.iasql.testkit.TestDatabases;
import java.sql.Connection;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.util.PSQLException;

/**
 * A caller's open transaction holds a lock the engine's work on its call needs: caller and engine wait for each other.
 * PostgreSQL's deadlock detector cannot be relied on to see it (the caller waits in short slices, and the engine's
 * backend looks for a cycle only once, {@code deadlock_timeout} into its wait). Here the engine's
 * {@code deadlock_timeout} is longer than the test's patience, so only the bridge itself can end the wait.
 */
@ExtendWith(IasqlExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LockCycleTest {

  /** Each engine operation that takes locks, with what the caller's transaction did before calling it. */
  enum Scenario {
    UNINSTALL_AFTER_A_READ("SELECT count(*) FROM test_base_item", "SELECT * FROM iasql_uninstall('test_base')",
        "test_base_item"),
    INSTALL_AFTER_AN_INSERT("INSERT INTO test_base_item (name) VALUES ('new')",
        "SELECT * FROM iasql_install('test_child')", "test_base_item"),
    DELETE_ALL_RECORDS_AFTER_AN_UPDATE("UPDATE test_base_item SET name = 'renamed'", "SELECT delete_all_records()",
        "test_base_item");

    final String before;
    final String call;
    final String table;

    Scenario(String before, String call, String table) {
      this.before = before;
      this.call = call;
      this.table = table;
    }
  }

  /** On the direct route the engine looks for the cycle (the caller waits on a socket). */
  @ParameterizedTest
  @EnumSource(Scenario.class)
  void aLockCycleWithTheCallersTransactionIsAClearErrorWithinSecondsAndNothingIsChanged(Scenario s, TestDatabase db)
      throws Exception {
    cycle(s, db);
  }

  /**
   * Every running call is looked at in one statement: of two calls waiting for locks at once, only the one whose own
   * caller holds the lock is stopped; the other, waiting for somebody else's transaction, goes on once that ends.
   */
  @Test
  void onlyTheCallWaitingForItsOwnCallerIsStopped(TestDatabases dbs) throws Exception {
    TestDatabase other = dbs.create();
    try (Connection c = other.tenant()) {
      Sql.rows(c, "SELECT * FROM iasql_install('test_base')");
    }
    try (Connection admin = other.admin(); Connection c = other.tenant()) {
      admin.setAutoCommit(false);
      Sql.exec(admin, "LOCK TABLE public.test_base_item IN ACCESS EXCLUSIVE MODE");
      CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> {
        try {
          return Sql.rows(c, "SELECT * FROM iasql_install('test_child')");
        } catch (java.sql.SQLException e) {
          return e;
        }
      });
      String engineWaits = "SELECT 1 FROM pg_stat_activity WHERE datname = current_database()"
          + " AND application_name = 'iasql-engine' AND wait_event_type = 'Lock'";
      for (int i = 0; i < 200 && Sql.rows(admin, engineWaits).isEmpty(); i++) {
        Thread.sleep(50);
      }
      assertThat(Sql.rows(admin, engineWaits)).as("the engine's session waiting for the admin's lock").isNotEmpty();
      assertThat(waiting).as("the other call, waiting for the admin's lock").isNotDone();

      cycle(Scenario.INSTALL_AFTER_AN_INSERT, dbs.create());

      assertThat(waiting).as("the other call, once the cycle was stopped").isNotDone();
      admin.commit();
      assertThat(waiting.get(30, TimeUnit.SECONDS)).as("the other call's outcome").isInstanceOf(java.util.List.class);
    }
  }

  /** On the queued route the caller looks for it, between slices of its wait for the request lock. */
  @Test
  void theQueuedRoutesCallerFindsTheCycleToo(TestDatabase db) throws Exception {
    try (Connection admin = db.admin()) {
      Loopback.queuedRoute(admin);
    }
    cycle(Scenario.INSTALL_AFTER_AN_INSERT, db);
  }

  private static void cycle(Scenario s, TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      Sql.rows(c, "SELECT * FROM iasql_install('test_base')");
      Sql.rows(c, "INSERT INTO test_base_item (name) VALUES ('kept') RETURNING id");
      Sql.rows(c, "INSERT INTO test_base_tag (item_id, tag) SELECT id, 'kept' FROM test_base_item RETURNING id");
    }
    engineNeverLooksForDeadlocks(db);
    try (Connection c = db.tenant()) {
      c.setAutoCommit(false);
      Sql.rows(c, s.before);
      long started = System.nanoTime();
      CompletableFuture<PSQLException> call = CompletableFuture.supplyAsync(() -> Sql.failure(c, s.call));
      PSQLException e;
      try {
        e = call.get(15, TimeUnit.SECONDS);
      } catch (TimeoutException hang) {
        try (Connection admin = db.admin()) {
          Sql.rows(admin, "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
              + " AND pid <> pg_backend_pid() AND state = 'active'");
        }
        fail("caller and engine waited for each other for 15 s: " + s.call + " hangs");
        return;
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(e.getSQLState()).isEqualTo("IQ402");
      assertThat(e.getMessage()).contains("public." + s.table).contains("this transaction");
      assertThat(Sql.hint(e)).contains("COMMIT");
      assertThat(millis).as("how long the caller waited for the error").isLessThan(5_000);
      c.rollback();
      c.setAutoCommit(true);
      try (Connection admin = db.admin()) {
        assertThat(Sql.rows(admin, "SELECT query FROM pg_stat_activity WHERE datname = current_database()"
            + " AND wait_event_type = 'Lock'")).as("nobody is left waiting").isEmpty();
      }
      assertThat(Sql.rows(c, "SELECT status, err->>'code' AS code FROM iasql_operation ORDER BY id DESC LIMIT 1"))
          .containsExactly(Map.of("status", "error", "code", "IQ402"));
      // The engine stopped and rolled back: everything is as before the call.
      assertThat(Sql.rows(c, "SELECT module_name FROM iasql_modules_installed() ORDER BY 1"))
          .extracting(r -> r.get("module_name"))
          .containsExactly("iasql_functions", "iasql_platform", "test_base");
      assertThat(Sql.rows(c, "SELECT name FROM test_base_item")).containsExactly(Map.of("name", "kept"));
      assertThat(Sql.rows(c, "SELECT tag FROM test_base_tag")).containsExactly(Map.of("tag", "kept"));
      assertThat(Sql.rows(c, "SELECT to_regclass('public.test_child_item') IS NULL AS gone"))
          .containsExactly(Map.of("gone", true));
      // And the database works on: the same call outside a transaction succeeds.
      Sql.rows(c, s.call);
    }
  }

  /**
   * Makes the engine's sessions on this database wait ten minutes before looking for a deadlock: a cycle that
   * PostgreSQL does not report in time is then a hang, every time rather than now and then.
   */
  private static void engineNeverLooksForDeadlocks(TestDatabase db) throws Exception {
    try (Connection admin = db.admin()) {
      Sql.exec(admin, "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET deadlock_timeout = ''10min''',"
          + " current_database()); END $$");
      // Pooled sessions opened before keep the old value: end the idle ones; the pool opens new ones.
      Sql.rows(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
          + " AND application_name = 'iasql-engine' AND state = 'idle'");
    }
    Thread.sleep(600); // past the pool's 500 ms window in which it hands out a connection without checking it
  }
}
