package dev.iasql.functions;

import static dev.iasql.functions.TestModules.LATEST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import dev.iasql.postgres.EmbeddedOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;

/**
 * Every way a bridged call can fail has its own SQLSTATE and never hangs. {@code @Timeout} only guards against a
 * hang; nothing here asserts on speed.
 */
@ExtendWith(IasqlExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BridgeFailureTest {

  /**
   * A cluster of its own, where no engine runs unless a test starts one: on the shared cluster the shared engine would
   * take over every database nobody serves.
   */
  private static PostgresCluster lonely;

  @BeforeAll
  static void startLonelyCluster() {
    lonely = PostgresCluster.embedded(EmbeddedOptions.forTests());
    // An engine with the bridge has run there once: the metadata database has the doorbell.
    Engine.configure().postgres(lonely).build().close();
  }

  @AfterAll
  static void stopLonelyCluster() {
    if (lonely != null) {
      lonely.close();
    }
  }

  /** An engine with no bridge: the databases it creates are served by nobody, unless an engine with one runs. */
  private static Engine engineWithoutBridge(PostgresCluster cluster) {
    return Engine.configure().postgres(cluster).discoverExtensions(false).build();
  }

  private static Connection tenant(PostgresCluster cluster, CreatedDatabase db) throws Exception {
    return DriverManager.getConnection(cluster.jdbcUrl(db.name()), db.pgUser(), db.pgPassword());
  }

  private static Connection admin(PostgresCluster cluster, String db) throws Exception {
    return DriverManager.getConnection(cluster.jdbcUrl(db), cluster.adminUser(), cluster.adminPassword());
  }

  @Test
  void engineNotRunningFailsAtOnceWhilePureSqlFunctionsStillWork() throws Exception {
    PostgresCluster cluster = lonely;
    try (Engine bare = engineWithoutBridge(cluster)) {
      CreatedDatabase db = bare.createDatabase("t_unserved_" + ProcessHandle.current().pid());
      try (Connection c = tenant(cluster, db)) {
        PSQLException e = Sql.failure(c, "SELECT * FROM iasql_modules_list()");
        assertThat(e.getSQLState()).isEqualTo("IQ001");
        assertThat(e.getMessage()).contains("not running").contains(db.name());
        assertThat(Sql.hint(e)).contains("./iasql serve");
        assertThat(Sql.rows(c, "SELECT * FROM iasql_operation")).as("nothing was queued").isEmpty();
        assertThat(Sql.value(c, "SELECT version FROM iasql_version()")).isEqualTo(LATEST);
        assertThat(Sql.rows(c, "SELECT * FROM iasql_help()")).isNotEmpty();
        assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_installed()")).hasSize(2);
      } finally {
        bare.dropDatabase(db.name());
      }
    }
  }

  /**
   * An engine that goes away while a call is queued: the caller and the operation log tell one story (the engine
   * stopped, IQ001), not "stopped" to the caller and "not picked up in time" in the log.
   */
  @Test
  void anEngineThatStopsBeforePickingUpTellsOneStory() throws Exception {
    PostgresCluster cluster = lonely;
    try (Engine bare = engineWithoutBridge(cluster)) {
      CreatedDatabase db = bare.createDatabase("t_gone_" + ProcessHandle.current().pid());
      try (Connection gone = admin(cluster, db.name()); Connection c = tenant(cluster, db);
          Connection presence = Loopback.standIn(cluster, gone, db.name(), db.pgUser())) {
        try (Statement s = c.createStatement()) {
          s.execute("SET iasql.pickup_timeout = '60s'");
        }
        java.util.concurrent.CompletableFuture<PSQLException> call = java.util.concurrent.CompletableFuture
            .supplyAsync(() -> Sql.failure(c, "SELECT * FROM iasql_install('test_base')"));
        awaitStatus(gone, List.of("pending"));
        Sql.rows(presence, "SELECT pg_advisory_unlock_all()"); // the engine goes away without claiming the call
        PSQLException e = call.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(e.getSQLState()).isEqualTo("IQ001");
        assertThat(lastCall(gone)).as("the log says what the caller was told").containsEntry("status", "expired")
            .containsEntry("code", "IQ001").containsEntry("message", e.getServerErrorMessage().getMessage());

        // The session's next call queues first and learns from its ring that no engine runs: it fails at once, not
        // after the pickup timeout, in the words of a first call, and the log says the same.
        long started = System.nanoTime();
        PSQLException next = Sql.failure(c, "SELECT * FROM iasql_modules_list()");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(30));
        assertThat(next.getSQLState()).isEqualTo("IQ001");
        assertThat(next.getServerErrorMessage().getMessage())
            .isEqualTo("the IaSQL engine is not running for database " + db.name());
        assertThat(Sql.hint(next)).contains("./iasql serve");
        assertThat(lastCall(gone)).containsEntry("status", "expired").containsEntry("code", "IQ001")
            .containsEntry("message", next.getServerErrorMessage().getMessage());
      } finally {
        bare.dropDatabase(db.name());
      }
    }
  }

  /**
   * No engine serves the database, but one runs (its lock held here by a stand-in): a call waits, bounded by the
   * pickup timeout, for an engine to take the database over, instead of failing at once; when one does, the call is
   * run.
   */
  @Test
  void aCallWaitsForARunningEngineToTakeTheDatabaseOver() throws Exception {
    PostgresCluster cluster = lonely;
    try (Engine bare = engineWithoutBridge(cluster)) {
      CreatedDatabase db = bare.createDatabase("t_orphan_" + ProcessHandle.current().pid());
      // An engine served it (wrote the conninfos) and is gone; another one runs (its lock held by the stand-in).
      try (Connection gone = admin(cluster, db.name()); Connection c = tenant(cluster, db);
          Connection alive = Loopback.standIn(cluster, gone, db.name(), db.pgUser())) {
        Sql.rows(alive, "SELECT pg_advisory_unlock_all()");
        Sql.rows(alive, "SELECT pg_advisory_lock_shared(?, ?)", BridgeSql.ENGINE_ALIVE_CLASS,
            BridgeSql.ENGINE_ALIVE_ID);
        try (Statement s = c.createStatement()) {
          s.execute("SET iasql.pickup_timeout = '300ms'");
        }
        PSQLException e = Sql.failure(c, "SELECT * FROM iasql_modules_list()");
        assertThat(e.getSQLState()).as("not IQ001: an engine runs").isEqualTo("IQ002");
        assertThat(e.getMessage()).contains("no IaSQL engine took over database " + db.name());
        assertThat(Sql.rows(c, "SELECT * FROM iasql_operation")).as("nothing was queued").isEmpty();

        try (Statement s = c.createStatement()) {
          s.execute("SET iasql.pickup_timeout = '60s'");
        }
        CompletableFuture<List<java.util.Map<String, Object>>> call = CompletableFuture.supplyAsync(() -> {
          try {
            return Sql.rows(c, "SELECT * FROM iasql_modules_list()");
          } catch (java.sql.SQLException ex) {
            throw new IllegalStateException(ex);
          }
        });
        Thread.sleep(500);
        assertThat(call).as("waiting for an engine").isNotDone();
        try (Engine taker = Engine.configure().postgres(cluster).reconcileEvery(java.time.Duration.ofHours(1))
            .build()) {
          assertThat(call.get(30, TimeUnit.SECONDS)).as("run by the engine that took over").isNotEmpty();
        }

        // A call queued while an engine served the database, which then went away before claiming it: the engine
        // that takes the database over runs it.
        Sql.rows(alive, "SELECT pg_advisory_lock_shared(?)", Loopback.presenceKey(alive, db.name()));
        CompletableFuture<List<java.util.Map<String, Object>>> queued = CompletableFuture.supplyAsync(() -> {
          try {
            return Sql.rows(c, "SELECT * FROM iasql_modules_list()");
          } catch (java.sql.SQLException ex) {
            throw new IllegalStateException(ex);
          }
        });
        awaitStatus(gone, List.of("pending"));
        Sql.rows(alive, "SELECT pg_advisory_unlock_shared(?)", Loopback.presenceKey(alive, db.name()));
        Thread.sleep(300);
        assertThat(queued).as("queued, no engine serves it").isNotDone();
        try (Engine taker = Engine.configure().postgres(cluster).reconcileEvery(java.time.Duration.ofHours(1))
            .build()) {
          assertThat(queued.get(30, TimeUnit.SECONDS)).as("run by the engine that took over").isNotEmpty();
        }
        assertThat(Sql.rows(gone, "SELECT status FROM iasql_operation ORDER BY id")).extracting(r -> r.get("status"))
            .containsExactly("done", "done");
      } finally {
        bare.dropDatabase(db.name());
      }
    }
  }

  @Test
  void aStuckEngineIsReportedWhenTheCallIsNotPickedUpInTime() throws Exception {
    PostgresCluster cluster = lonely;
    try (Engine bare = engineWithoutBridge(cluster)) {
      CreatedDatabase db = bare.createDatabase("t_stuck_" + ProcessHandle.current().pid());
      // Something attached (wrote the conninfos) and holds the presence lock, but never answers.
      try (Connection stuck = admin(cluster, db.name()); Connection c = tenant(cluster, db);
          Connection presence = Loopback.standIn(cluster, stuck, db.name(), db.pgUser())) {
        try (Statement s = c.createStatement()) {
          s.execute("SET iasql.pickup_timeout = '300ms'");
        }
        PSQLException e = Sql.failure(c, "SELECT * FROM iasql_install('test_base')");
        assertThat(e.getSQLState()).isEqualTo("IQ002");
        assertThat(Sql.hint(e)).contains("iasql.pickup_timeout");
        assertThat(Sql.rows(c, "SELECT status FROM iasql_operation")).extracting(r -> r.get("status"))
            .containsExactly("expired");

        // Cancelled while still queued: nobody will ever claim it, so it must end cancelled, not "cancelling".
        try (Statement s = c.createStatement()) {
          s.execute("SET iasql.pickup_timeout = '60s'");
          s.execute("SET statement_timeout = '300ms'");
        }
        assertThat(Sql.failure(c, "SELECT * FROM iasql_install('test_base')").getSQLState()).isEqualTo("57014");
        try (Statement s = c.createStatement()) {
          s.execute("SET statement_timeout = 0");
        }
        assertThat(Sql.rows(c, "SELECT status, err->>'code' AS code, end_date IS NOT NULL AS ended"
            + " FROM iasql_operation ORDER BY id DESC LIMIT 1"))
            .containsExactly(java.util.Map.of("status", "cancelled", "code", "IQ005", "ended", true));
      } finally {
        bare.dropDatabase(db.name());
      }
    }
  }

  @Test
  void aMalformedPickupTimeoutIsAClearErrorAndQueuesNothing(TestDatabase db) throws Exception {
    for (String bad : List.of("soon", "-5s", "0")) {
      try (Connection c = db.tenant()) {
        Sql.rows(c, "SELECT set_config('iasql.pickup_timeout', ?, false)", bad);
        PSQLException e = Sql.failure(c, "SELECT * FROM iasql_modules_list()");
        assertThat(e.getSQLState()).as(bad).isEqualTo("IQ401");
        assertThat(e.getMessage()).as(bad).contains("iasql.pickup_timeout");
        assertThat(Sql.hint(e)).contains("30s");
      }
    }
    try (Connection c = db.tenant()) {
      assertThat(Sql.rows(c, "SELECT * FROM iasql_operation")).isEmpty();
    }
  }

  @Test
  void statementTimeoutStopsTheEnginesWorkNotJustTheWait(TestDatabase db) throws Exception {
    try (Connection c = db.tenant(); Connection admin = db.admin()) {
      try (Statement s = c.createStatement()) {
        s.execute("SET statement_timeout = '1500ms'");
      }
      PSQLException e = Sql.failure(c, "SELECT * FROM iasql_install('test_slow')");
      assertThat(e.getSQLState()).isEqualTo("57014");
      assertThat(e.getServerErrorMessage().getMessage()).isEqualTo("canceling statement due to statement timeout:"
          + " the install call was stopped, and so is the engine's work on it");
      assertThat(e.getServerErrorMessage().getWhere()).as("no internal statement of the bridge in the CONTEXT")
          .doesNotContain("SQL statement").doesNotContain("pg_advisory_lock").doesNotContain("dblink");
      try (Statement s = c.createStatement()) {
        s.execute("SET statement_timeout = 0");
      }
      String status = awaitStatus(c, List.of("cancelled"));
      assertThat(status).isEqualTo("cancelled");
      assertThat(Sql.rows(c, "SELECT module_name FROM iasql_modules_installed()"))
          .extracting(r -> r.get("module_name")).doesNotContain("test_slow");
      assertThat(Sql.value(c, "SELECT to_regclass('public.test_slow_item') IS NULL")).isEqualTo(true);
      assertThat(Sql.value(admin, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
          + " AND query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()")).isEqualTo(0L);
      assertThat(Sql.rows(c, "SELECT * FROM iasql_install('test_base')")).as("usable afterwards").hasSize(2);
    }
  }

  /**
   * The statement timeout fires while the request row is still being queued through the loopback (made slow here):
   * the row commits after the caller stopped waiting, and must be cancelled, not run with nobody waiting for it.
   */
  @Test
  void aTimeoutWhileTheRequestIsQueuedCancelsTheRequest(TestDatabase db) throws Exception {
    try (Connection c = db.tenant(); Connection admin = db.admin()) {
      // The session's loopback is opened by a first call: the timeout below is then spent in the queue, where the
      // test means it to fall, and not in dblink_connect (whose SCRAM login alone can take 200 ms on a busy machine).
      assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
      Sql.exec(admin, "CREATE SCHEMA test_hooks");
      Sql.exec(admin, "CREATE FUNCTION test_hooks.slow_queue() RETURNS trigger LANGUAGE plpgsql AS"
          + " $$ BEGIN PERFORM pg_sleep(0.6); RETURN NEW; END $$");
      Sql.exec(admin, "CREATE TRIGGER slow_queue BEFORE INSERT ON public.iasql_operation FOR EACH ROW"
          + " EXECUTE FUNCTION test_hooks.slow_queue()");
      try (Statement s = c.createStatement()) {
        s.execute("SET statement_timeout = '200ms'");
      }
      PSQLException e = Sql.failure(c, "SELECT * FROM iasql_install('test_slow')");
      assertThat(e.getSQLState()).isEqualTo("57014");
      assertThat(e.getServerErrorMessage().getWhere()).as("not the loopback's INSERT either")
          .doesNotContain("SQL statement").doesNotContain("dblink");
      try (Statement s = c.createStatement()) {
        s.execute("SET statement_timeout = 0");
      }
      // The install's own row: on the direct route it appears only once the engine's insert commits.
      assertThat(awaitStatus(admin, "INSTALL", List.of("cancelled", "done", "error"))).isEqualTo("cancelled");
      assertThat(Sql.value(admin, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
          + " AND query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()")).isEqualTo(0L);
      Sql.exec(admin, "DROP TRIGGER slow_queue ON public.iasql_operation");
      assertThat(Sql.rows(c, "SELECT * FROM iasql_install('test_base')")).as("usable afterwards").hasSize(2);
    }
  }

  @Test
  void ctrlCStopsTheEnginesWork(TestDatabase db) throws Exception {
    ctrlC(db);
  }

  /** On the queued route, the caller tells the engine through a fresh loopback and a ring. */
  @Test
  void ctrlCStopsTheEnginesWorkOnTheQueuedRouteToo(TestDatabase db) throws Exception {
    try (Connection admin = db.admin()) {
      Loopback.queuedRoute(admin);
    }
    ctrlC(db);
  }

  private static void ctrlC(TestDatabase db) throws Exception {
    try (Connection c = db.tenant(); Connection admin = db.admin(); Statement s = c.createStatement()) {
      CompletableFuture<PSQLException> call = CompletableFuture.supplyAsync(() -> {
        try {
          s.executeQuery("SELECT * FROM iasql_install('test_slow')");
          throw new AssertionError("the call was not cancelled");
        } catch (PSQLException e) {
          return e;
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      awaitStatus(admin, List.of("running"));
      s.cancel(); // what psql sends on Ctrl-C: a CancelRequest for the caller's backend
      PSQLException e = call.get(60, TimeUnit.SECONDS);
      assertThat(e.getSQLState()).isEqualTo("57014");
      assertThat(e.getServerErrorMessage().getWhere()).as("no internal statement of the bridge in the CONTEXT")
          .doesNotContain("SQL statement").doesNotContain("pg_advisory_lock").doesNotContain("dblink");
      assertThat(awaitStatus(admin, List.of("cancelled"))).isEqualTo("cancelled");
      assertThat(Sql.value(admin, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
          + " AND query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()")).isEqualTo(0L);
    }
  }

  @Test
  void engineKilledMidCallGivesEngineDiedAndTheEngineRecovers(TestDatabase db) throws Exception {
    try (Connection c = db.tenant(); Connection admin = db.admin()) {
      CompletableFuture<PSQLException> call = CompletableFuture.supplyAsync(() -> Sql.failure(c,
          "SELECT * FROM iasql_install('test_slow')"));
      awaitStatus(admin, List.of("running"));
      Sql.rows(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
          + " AND application_name = 'iasql-engine'");
      PSQLException e = call.get(60, TimeUnit.SECONDS);
      assertThat(e.getSQLState()).isEqualTo("IQ003");
      assertThat(Sql.hint(e)).contains("iasql_operation");
      assertThat(Sql.value(c, "SELECT status FROM iasql_operation")).isEqualTo("error");
      // The engine reconnects by itself; the next call works.
      assertThat(retryUntilServed(db)).isNotEmpty();
    }
  }

  @Test
  void closingTheEngineEndsInFlightCallsWithAnError(Engine shared, PostgresCluster cluster) throws Exception {
    Engine second = Engine.configure().postgres(cluster).build();
    CreatedDatabase db = second.createDatabase("t_closing_" + ProcessHandle.current().pid());
    try (Connection c = tenant(cluster, db); Connection admin = admin(cluster, db.name())) {
      CompletableFuture<PSQLException> call = CompletableFuture.supplyAsync(() -> Sql.failure(c,
          "SELECT * FROM iasql_install('test_slow')"));
      awaitStatus(admin, List.of("running"));
      second.close();
      PSQLException e = call.get(60, TimeUnit.SECONDS);
      assertThat(e.getSQLState()).isEqualTo("IQ004");
      // The shared engine, told of the database when it was created, takes it over: the next call waits for it.
      assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
    } finally {
      try (Engine cleanup = engineWithoutBridge(cluster)) {
        cleanup.dropDatabase(db.name());
      }
    }
  }

  @Test
  void callsAreRefusedWhileTheDatabaseUpgradesAndOthersAreNot(TestDatabase db, TestDatabase other,
      PostgresCluster cluster) throws Exception {
    try (Connection meta = admin(cluster, Engine.METADATA_DATABASE); Connection c = db.tenant();
        Connection o = other.tenant()) {
      Sql.rows(meta, "UPDATE iasql_database SET upgrade_state = 'upgrading' WHERE pg_name = ? RETURNING 1",
          db.name());
      PSQLException e = Sql.failure(c, "SELECT * FROM iasql_install('test_base')");
      assertThat(e.getSQLState()).isEqualTo("IQ101");
      assertThat(e.getMessage()).contains(db.name()).contains("upgraded");
      assertThat(Sql.rows(o, "SELECT * FROM iasql_install('test_base')")).hasSize(2);

      Sql.rows(meta, "UPDATE iasql_database SET upgrade_state = 'idle', release = '0.0.1' WHERE pg_name = ?"
          + " RETURNING 1", db.name());
      e = Sql.failure(c, "SELECT * FROM iasql_uninstall('test_base')");
      assertThat(e.getSQLState()).isEqualTo("IQ102");
      assertThat(e.getMessage()).contains("0.0.1");
      assertThat(Sql.hint(e)).contains("iasql_upgrade()");
      Sql.rows(meta, "UPDATE iasql_database SET release = ? WHERE pg_name = ? RETURNING 1", LATEST, db.name());
      assertThat(Sql.rows(c, "SELECT * FROM iasql_install('test_base')")).hasSize(2);
    }
  }

  @Test
  void callsWorkInsideRepeatableReadTransactions(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      Sql.rows(c, "SELECT 1");
      assertThat(Sql.rows(c, "SELECT * FROM iasql_install('test_base')")).hasSize(2);
      assertThat(Sql.rows(c, "SELECT * FROM iasql_install('test_child')")).hasSize(1);
      c.commit();
      assertThat(Sql.rows(c, "SELECT module_name FROM iasql_modules_installed()")).hasSize(4);
      c.commit();
    }
  }

  @Test
  void aLockCycleWithTheCallersTransactionIsAnErrorNotAHang(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      Sql.rows(c, "SELECT * FROM iasql_install('test_base')");
      c.setAutoCommit(false);
      Sql.rows(c, "SELECT count(*) FROM test_base_item"); // holds ACCESS SHARE until commit
      PSQLException e = Sql.failure(c, "SELECT * FROM iasql_uninstall('test_base')");
      assertThat(e.getSQLState()).isEqualTo("IQ402");
      c.rollback();
      c.setAutoCommit(true);
      assertThat(Sql.rows(c, "SELECT module_name FROM iasql_modules_installed()"))
          .extracting(r -> r.get("module_name")).contains("test_base");
    }
  }

  private static String awaitStatus(Connection c, List<String> wanted) throws Exception {
    return awaitStatus(c, null, wanted);
  }

  /** The status of the last operation (of this type, unless null) once it is one of {@code wanted}. */
  private static String awaitStatus(Connection c, String optype, List<String> wanted) throws Exception {
    for (int i = 0; i < 600; i++) {
      List<Object> statuses = Sql.rows(c, "SELECT status FROM iasql_operation WHERE optype = coalesce(?, optype)"
          + " ORDER BY id DESC LIMIT 1", optype).stream().map(r -> r.get("status")).toList();
      if (!statuses.isEmpty() && wanted.contains(statuses.get(0))) {
        return (String) statuses.get(0);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the last operation never reached " + wanted);
  }

  private static List<?> retryUntilServed(TestDatabase db) throws Exception {
    PSQLException last = null;
    for (int i = 0; i < 100; i++) {
      try (Connection c = db.tenant()) {
        return Sql.rows(c, "SELECT * FROM iasql_modules_list()");
      } catch (PSQLException e) {
        last = e;
        Thread.sleep(100);
      }
    }
    throw new AssertionError("the engine did not come back", last);
  }

  static <T> T join(CompletableFuture<T> f) throws InterruptedException, ExecutionException {
    return f.get();
  }

  /** The latest call's status, and its error's code and message. */
  private static java.util.Map<String, Object> lastCall(Connection c) throws java.sql.SQLException {
    return Sql.rows(c, "SELECT status, err->>'code' AS code, err->>'message' AS message FROM iasql_operation"
        + " ORDER BY id DESC LIMIT 1").get(0);
  }
}
