package dev.iasql.functions;

import static dev.iasql.functions.TestModules.LATEST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Long work reports each step to the caller as a NOTICE (what psql prints as it arrives), once. */
@ExtendWith(IasqlExtension.class)
class ProgressTest {

  private static List<String> notices(Statement s) throws Exception {
    List<String> out = new ArrayList<>();
    for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
      out.add(w.getMessage());
    }
    return out;
  }

  @Test
  void eachStepArrivesOnceWhetherRaisedWhileWaitingOrAtTheEnd(TestDatabase db) throws Exception {
    try (Connection c = db.tenant(); Statement s = c.createStatement()) {
      // test_slowish takes over a second after test_base is done: the first line is raised while the caller
      // still waits, the second when the call ends.
      s.executeQuery("SELECT * FROM iasql_install('test_slowish')").close();
      assertThat(notices(s)).containsExactly(
          "installed test_base@" + LATEST + " (1 of 2, 2 tables)",
          "installed test_slowish@" + LATEST + " (2 of 2, 1 table)");
      assertThat(Sql.value(c, "SELECT progress::text FROM iasql_operation")).isEqualTo(
          "[\"installed test_base@" + LATEST + " (1 of 2, 2 tables)\", \"installed test_slowish@" + LATEST
              + " (2 of 2, 1 table)\"]");
      s.clearWarnings();
      s.executeQuery("SELECT * FROM iasql_uninstall('test_slowish', 'test_base')").close();
      assertThat(notices(s)).containsExactly(
          "uninstalled test_slowish (1 of 2, 1 table dropped)",
          "uninstalled test_base (2 of 2, 2 tables dropped)");
    }
  }

  /**
   * On the queued route, a running call reports progress without a second connection to its database: its lines are
   * kept in the metadata database, on the engine's connections there. (Each line used to borrow a second connection
   * of the database, and 50 busy databases took the engine's share of the cluster that way, so an idle database's
   * call waited for one.) And a database's ring reads its own calls' lines only.
   */
  @Test
  void progressTakesNoSecondConnectionAndEachDatabaseReadsOnlyItsOwn(TestDatabase db, TestDatabase other)
      throws Exception {
    try (Connection meta = DriverManager.getConnection(db.cluster().jdbcUrl("iasql_metadata"),
            db.cluster().adminUser(), db.cluster().adminPassword());
        Connection admin = db.admin(); Connection c = db.tenant()) {
      Loopback.queuedRoute(admin);
      String engineSessions = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
          + " AND application_name = 'iasql-engine'";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (((Number) Sql.value(admin, engineSessions)).longValue() > 0) { // what set the database up lingers 3 s
        assertThat(System.nanoTime()).as("the engine's pool lets go of the set-up's sessions").isLessThan(deadline);
        Thread.sleep(50);
      }
      CompletableFuture<Void> install = CompletableFuture.runAsync(() -> {
        try (Statement s = c.createStatement()) {
          s.executeQuery("SELECT * FROM iasql_install('test_slowish')").close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      // test_slowish takes over a second after its first line: look while it runs.
      while (((Number) Sql.value(meta, "SELECT count(*) FROM iasql_engine.progress p, pg_database d"
          + " WHERE d.oid = p.database AND d.datname = ?", db.name())).longValue() == 0) {
        assertThat(System.nanoTime()).as("a progress line appears").isLessThan(deadline);
        Thread.sleep(10);
      }
      Object id = Sql.value(admin, "SELECT id FROM iasql_operation WHERE status = 'running'");
      assertThat(Sql.value(admin, engineSessions)).as("the engine's sessions in the database").isEqualTo(1L);

      Sql.exec(meta, "SET SESSION AUTHORIZATION " + other.created().pgUser() + "_ring");
      assertThat(Sql.rows(meta, "SELECT * FROM iasql_engine.progress_of(?, 0)", id))
          .as("another database's ring").isEmpty();
      Sql.exec(meta, "RESET SESSION AUTHORIZATION");
      Sql.exec(meta, "SET SESSION AUTHORIZATION " + db.created().pgUser() + "_ring");
      assertThat(Sql.rows(meta, "SELECT line FROM iasql_engine.progress_of(?, 0)", id)).extracting(r -> r.get("line"))
          .containsExactly("installed test_base@" + LATEST + " (1 of 2, 2 tables)");
      Sql.exec(meta, "RESET SESSION AUTHORIZATION");

      install.get(30, TimeUnit.SECONDS);
      assertThat(Sql.value(meta, "SELECT count(*) FROM iasql_engine.progress p, pg_database d"
          + " WHERE d.oid = p.database AND d.datname = ?", db.name())).as("gone with the outcome").isEqualTo(0L);
      assertThat(Sql.value(c, "SELECT jsonb_array_length(progress) FROM iasql_operation WHERE id = ?", id))
          .as("kept in the call's row").isEqualTo(2);
    }
  }
}
