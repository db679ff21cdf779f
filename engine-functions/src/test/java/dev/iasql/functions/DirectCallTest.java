package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.engine.Engine;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.LogLines;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import io.micrometer.core.instrument.FunctionCounter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;

/**
 * A call goes straight to the engine's own port (one dblink connection to the engine, no PostgreSQL session of its
 * own), admitted with its database's token only; where that port does not answer, it takes the queued route.
 */
@ExtendWith(IasqlExtension.class)
class DirectCallTest {
  /** Sessions a tenant's calls opened: the loopback into its database and the ring in the metadata database. */
  private static final String BRIDGE_SESSIONS = "SELECT count(*) FROM pg_stat_activity WHERE backend_type ="
      + " 'client backend' AND (datname = ? OR datname = 'iasql_metadata') AND usename IN (? || '_owner', ? || '_ring')"
      + " AND application_name IS DISTINCT FROM 'iasql-engine'";

  private static long bridgeSessions(Connection admin, TestDatabase db) throws SQLException {
    String role = db.created().pgUser();
    return ((Number) Sql.value(admin, BRIDGE_SESSIONS, db.name(), role, role)).longValue();
  }

  @Test
  void aCallOpensNoPostgresSessionAndIsRecordedAsAnyOther(TestDatabase db) throws Exception {
    try (Connection admin = db.admin(); Connection c = db.tenant()) {
      for (int i = 0; i < 3; i++) {
        assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
      }
      assertThat(bridgeSessions(admin, db)).as("loopback and ring sessions the calls opened").isZero();
      assertThat(Sql.rows(c, "SELECT optype, status, engine_pid IS NOT NULL AS engine FROM iasql_operation"
          + " ORDER BY id")).hasSize(3).allSatisfy(r -> {
            assertThat(r).containsEntry("optype", "LIST").containsEntry("status", "done")
                .containsEntry("engine", true);
          });
    }
  }

  /**
   * A call runs on the engine's thread that read it from its line: handing each call to a thread of its own cost a
   * quick call up to seconds while 200 databases were busy (the hand-over waits for that thread to be scheduled, or
   * made). Its caller's Ctrl-C is still heard while it runs: {@code BridgeFailureTest#ctrlCStopsTheEnginesWork}.
   */
  @Test
  void aQuickCallRunsOnTheThreadThatReadIt(TestDatabase db, Engine engine) throws Exception {
    FunctionCounter handedOver = engine.meterRegistry().get(Bridge.HANDED_OVER).functionCounter();
    try (Connection c = db.tenant()) {
      assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).isNotEmpty(); // opens the line
      double before = handedOver.count();
      for (int i = 0; i < 20; i++) {
        assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
      }
      // 20 when each call is handed over; a stray call of another database's queued route may count meanwhile.
      assertThat(handedOver.count() - before).as("calls handed to a thread of their own").isLessThan(3);
      assertThat(Sql.value(c, "SELECT count(*) FROM iasql_operation WHERE status = 'done'")).isEqualTo(21L);
    }
  }

  /**
   * A call the engine can open no session of its database for (here its owner role may log in no more; under a login
   * storm, its share of the cluster full) is not picked up, IQ002, once its caller's pickup timeout has passed, and
   * nothing of it ran: it has no row. It was reported as IQ003, the engine stopped while running it; and it waited for
   * the pool's own 10 s whatever the caller's timeout.
   */
  @Test
  void aCallTheEngineFindsNoSessionForIsNotPickedUpAndLeavesNoRow(TestDatabase db) throws Exception {
    try (Connection admin = db.admin(); Connection c = db.tenant()) {
      Sql.exec(c, "SET iasql.pickup_timeout = '2s'");
      try (AutoCloseable noLogins = noEngineLogins(admin, db)) {
        long started = System.nanoTime();
        assertThatThrownBy(() -> Sql.rows(c, "SELECT * FROM iasql_modules_list()"))
            .isInstanceOfSatisfying(PSQLException.class, e -> {
              assertThat(e.getSQLState()).isEqualTo("IQ002");
              assertThat(e.getServerErrorMessage().getMessage())
                  .isEqualTo("the IaSQL engine could not open a session in database " + db.name()
                      + " to run the LIST call");
              assertThat(e.getServerErrorMessage().getHint()).startsWith("nothing was done")
                  .contains("SET iasql.pickup_timeout");
              assertThat(e.getServerErrorMessage().getDetail()).startsWith("no session within ")
                  .contains("(the caller's pickup timeout is 2000 ms)");
            });
        // The caller's 2 s, not the pool's 10 s (a bound with room for a slow machine, not a speed goal).
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
      }
      assertThat(Sql.rows(c, "SELECT * FROM iasql_operation")).as("rows of calls").isEmpty();
      assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).as("served again").isNotEmpty();
    }
  }

  /**
   * A call that finds no session at once (the engine's logins queue behind hundreds of databases' after a start)
   * waits for one as long as its caller's pickup timeout allows, as a queued call waits for its claim: past its
   * first wait (it failed after the pool's 10 s before), it is still served once a session can be opened.
   */
  @Test
  void aCallThatFindsNoSessionWaitsForOneWithinItsPickupTimeout(TestDatabase db) throws Exception {
    try (LogLines log = LogLines.of(Worker.class); Connection admin = db.admin(); Connection c = db.tenant()) {
      Sql.exec(c, "SET iasql.pickup_timeout = '60s'");
      CompletableFuture<Integer> list;
      try (AutoCloseable noLogins = noEngineLogins(admin, db)) {
        list = CompletableFuture.supplyAsync(() -> {
          try {
            return Sql.rows(c, "SELECT * FROM iasql_modules_list()").size();
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
        assertThat(log.await(l -> l.contains(" database " + db.name() + " for a LIST call after "),
            Duration.ofSeconds(60))).as("the engine found no session within its first wait").isTrue();
      }
      assertThat(list.get(60, TimeUnit.SECONDS)).as("modules listed once a session could be opened").isPositive();
      assertThat(Sql.rows(c, "SELECT status FROM iasql_operation")).as("one row, of the call that ran")
          .containsExactly(Map.of("status", "done"));
    }
  }

  /**
   * A caller's Ctrl-C ends the engine's wait for a session within a second or two, not at the end of the pool's own
   * 10 s wait (nor of the caller's pickup timeout): the engine holds no thread for a caller who left.
   */
  @Test
  void aCallersCtrlCEndsTheEnginesWaitForASession(TestDatabase db) throws Exception {
    try (LogLines log = LogLines.of(Worker.class); Connection admin = db.admin(); Connection c = db.tenant();
        Statement s = c.createStatement()) {
      Sql.exec(c, "SET iasql.pickup_timeout = '60s'");
      try (AutoCloseable noLogins = noEngineLogins(admin, db)) {
        CompletableFuture<?> list = CompletableFuture.runAsync(() -> {
          try {
            s.executeQuery("SELECT * FROM iasql_modules_list()").close();
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
        assertThat(log.await(l -> l.contains(" database " + db.name() + " for a LIST call after "),
            Duration.ofSeconds(60))).as("the engine waits for a session").isTrue();
        s.cancel(); // what psql sends on Ctrl-C
        assertThatThrownBy(() -> list.get(30, TimeUnit.SECONDS)).hasRootCauseInstanceOf(PSQLException.class);
        long cancelled = System.nanoTime();
        assertThat(log.await(l -> l.contains(" database " + db.name() + " for a LIST call: no session within "),
            Duration.ofSeconds(30))).as("the engine gave up its wait").isTrue();
        // Within its 1 s waits (a bound with room for a slow machine, not a speed goal); the pool's own is 10 s.
        assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(Duration.ofSeconds(6));
      }
    }
  }

  /**
   * Until closed, the engine can open no session of {@code db}: its pool's have lingered out (3 s), and the database's
   * owner role may log in no more.
   */
  private static AutoCloseable noEngineLogins(Connection admin, TestDatabase db) throws Exception {
    for (int i = 0; i < 120 && engineSessions(admin, db) > 0; i++) {
      Thread.sleep(100);
    }
    String owner = db.created().pgUser() + "_owner";
    Sql.exec(admin, (String) Sql.value(admin, "SELECT format('ALTER ROLE %I CONNECTION LIMIT 0', ?::text)", owner));
    return () -> Sql.exec(admin, (String) Sql.value(admin, "SELECT format('ALTER ROLE %I CONNECTION LIMIT -1',"
        + " ?::text)", owner));
  }

  private static void listTwice(Connection c) {
    try {
      Sql.rows(c, "SELECT * FROM iasql_modules_list()");
      Sql.rows(c, "SELECT * FROM iasql_modules_list()");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long engineSessions(Connection admin, TestDatabase db) throws SQLException {
    return ((Number) Sql.value(admin, "SELECT count(*) FROM pg_stat_activity WHERE datname = ?"
        + " AND application_name = 'iasql-engine'", db.name())).longValue();
  }

  /**
   * The caller sees each progress line as it comes (a NOTICE while the call still runs, not at the end); another
   * session sees it in the row while the call runs, written on the call's own connection between its transactions or,
   * as here (an install reports inside its transaction), on one its database's pool holds idle; and all of them with
   * the outcome.
   */
  @Test
  void progressLinesReachTheCallerWhileTheCallRuns(TestDatabase db) throws Exception {
    try (Connection admin = db.admin(); Connection c = db.tenant(); Statement s = c.createStatement()) {
      // The pool must hold a session idle beside the one the install takes: calls at once from two sessions until it
      // has opened two.
      try (Connection one = db.tenant(); Connection two = db.tenant()) {
        for (int i = 0; i < 50 && engineSessions(admin, db) < 2; i++) {
          CompletableFuture<?> first = CompletableFuture.runAsync(() -> listTwice(one));
          listTwice(two);
          first.get(30, TimeUnit.SECONDS);
        }
      }
      assertThat(engineSessions(admin, db)).as("the pool's sessions").isGreaterThanOrEqualTo(2);
      CompletableFuture<Void> install = CompletableFuture.runAsync(() -> {
        try {
          s.executeQuery("SELECT * FROM iasql_install('test_slowish')").close();
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      // test_slowish takes over a second after its first line: the line is there while the call runs.
      while (s.getWarnings() == null) {
        assertThat(System.nanoTime()).as("the first line, while the call runs").isLessThan(deadline);
        Thread.sleep(5);
      }
      assertThat(s.getWarnings().getMessage()).isEqualTo("installed test_base@" + TestModules.LATEST
          + " (1 of 2, 2 tables)");
      // The caller hears the line before it goes to the row.
      List<Map<String, Object>> row = List.of();
      for (int i = 0; i < 100; i++) {
        row = Sql.rows(admin, "SELECT status, progress ->> 0 AS line FROM iasql_operation WHERE optype = 'INSTALL'");
        if (row.get(0).get("line") != null) {
          break;
        }
        Thread.sleep(5);
      }
      assertThat(row).as("still running, with its first line in its row").containsExactly(Map.of("status",
          "running", "line", "installed test_base@" + TestModules.LATEST + " (1 of 2, 2 tables)"));
      install.get(30, TimeUnit.SECONDS);
      assertThat(Sql.value(admin, "SELECT jsonb_array_length(progress) FROM iasql_operation WHERE optype ="
          + " 'INSTALL'")).isEqualTo(2);
    }
  }

  @Test
  void whereTheEnginesPortDoesNotAnswerTheCallTakesTheQueuedRoute(TestDatabase db) throws Exception {
    try (Connection admin = db.admin(); Connection c = db.tenant()) {
      String conninfo = (String) Sql.value(admin, "SELECT engine_conninfo FROM iasql_engine.config");
      // A wrong token on the right port, then a port where nothing listens.
      Sql.exec(admin, "UPDATE iasql_engine.config SET engine_conninfo = regexp_replace(engine_conninfo,"
          + " 'password=[0-9a-f]+', 'password=00')");
      assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
      assertThat(bridgeSessions(admin, db)).as("the queued route's loopback and ring").isEqualTo(2);
      try (Connection other = db.tenant()) {
        Sql.exec(admin, "UPDATE iasql_engine.config SET engine_conninfo = regexp_replace(?, 'port=[0-9]+',"
            + " 'port=1')", conninfo);
        assertThat(Sql.rows(other, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
      }
      assertThat(Sql.rows(c, "SELECT status FROM iasql_operation ORDER BY id"))
          .extracting(r -> r.get("status")).containsExactly("done", "done");
    }
  }

  /** The token admits calls of its own database only, and no SQL: the port is no door into PostgreSQL. */
  @Test
  void theTokenIsTheOnlyKeyAndOpensNoSql(TestDatabase db) throws Exception {
    String conninfo;
    try (Connection admin = db.admin()) {
      conninfo = (String) Sql.value(admin, "SELECT engine_conninfo FROM iasql_engine.config");
    }
    Matcher m = Pattern.compile("host=(\\S+) port=(\\d+) .*password=([0-9a-f]+)").matcher(conninfo);
    assertThat(m.find()).as(conninfo).isTrue();
    String url = "jdbc:postgresql://" + m.group(1) + ":" + m.group(2) + "/" + db.name() + "?sslmode=disable";
    Properties wrong = new Properties();
    wrong.setProperty("user", db.created().pgUser());
    wrong.setProperty("password", db.created().pgPassword());
    assertThatThrownBy(() -> DriverManager.getConnection(url, wrong).close())
        .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    Properties right = new Properties();
    right.setProperty("user", "anyone");
    right.setProperty("password", m.group(3));
    right.setProperty("preferQueryMode", "simple");
    try (Connection c = DriverManager.getConnection(url, right)) {
      assertThat(Sql.failure(c, "SELECT 1").getSQLState()).isEqualTo("42601");
    }
  }
}
