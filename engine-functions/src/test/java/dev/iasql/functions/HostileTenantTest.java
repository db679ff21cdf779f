package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import dev.iasql.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;

/**
 * A tenant with its own login, hostile, inside its own database: whatever locks it takes or notifications it sends,
 * the engine never waits for it without bound, and other tenants' calls are served. Everything here runs as tenants.
 */
@ExtendWith(IasqlExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HostileTenantTest {

  /**
   * Request lock keys used to be the request id: a tenant holding the next ones made the engine's workers wait for
   * it forever, and four such tenants held all the shared workers, so a fifth tenant's call was never picked up.
   */
  @Test
  void tenantsHoldingTheNextRequestLockKeysStallNobody(TestDatabases dbs) throws Exception {
    List<Connection> open = new ArrayList<>();
    List<CompletableFuture<Object>> ownCalls = new ArrayList<>();
    ExecutorService callers = Executors.newFixedThreadPool(4 * Dispatcher.CALLS_PER_DATABASE);
    try {
      for (int t = 0; t < 4; t++) {
        TestDatabase db = dbs.create();
        Connection holder = db.tenant();
        open.add(holder);
        long last = ((Number) Sql.value(holder, "SELECT coalesce(max(id), 0) FROM iasql_operation")).longValue();
        Sql.rows(holder, "SELECT pg_advisory_lock(?, k) FROM generate_series(?, ?) AS k", BridgeSql.REQUEST_CLASS,
            (int) last + 1, (int) last + 40);
        for (int i = 0; i < Dispatcher.CALLS_PER_DATABASE; i++) {
          Connection c = db.tenant();
          open.add(c);
          ownCalls.add(CompletableFuture.supplyAsync(() -> {
            try {
              return Sql.rows(c, "SELECT * FROM iasql_modules_list()");
            } catch (SQLException e) {
              return e;
            }
          }, callers));
        }
      }
      TestDatabase bystander = dbs.create();
      try (Connection c = bystander.tenant()) {
        long started = System.nanoTime();
        assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms for the bystander's call").isLessThan(5_000);
      }
      for (CompletableFuture<Object> call : ownCalls) {
        assertThat(call.get(30, TimeUnit.SECONDS)).as("the holders' own calls are served too")
            .isInstanceOf(List.class);
      }
    } finally {
      for (Connection c : open) {
        c.close(); // lets go of the held keys, so that calls stuck on today's code end
      }
      callers.shutdownNow();
    }
  }

  /** A tenant's open transaction holds a lock on a module table: the engine gives up after its lock timeout. */
  @Test
  void aTableLockedInATenantsOpenTransactionIsAClearErrorAfterTheLockTimeout(TestDatabase db) throws Exception {
    try (Connection holder = db.tenant(); Connection c = db.tenant()) {
      Sql.rows(c, "SELECT * FROM iasql_install('test_base')");
      holder.setAutoCommit(false);
      Sql.exec(holder, "LOCK TABLE test_base_item IN ACCESS EXCLUSIVE MODE");
      long started = System.nanoTime();
      CompletableFuture<PSQLException> call = CompletableFuture.supplyAsync(
          () -> Sql.failure(c, "SELECT * FROM iasql_uninstall('test_base')"));
      PSQLException e;
      try {
        e = call.get(40, TimeUnit.SECONDS);
      } catch (TimeoutException hang) {
        holder.rollback();
        fail("the engine waited for the tenant's lock for 40 s");
        return;
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(e.getSQLState()).isEqualTo("IQ404");
      assertThat(e.getMessage()).contains("table public.test_base_item (AccessExclusiveLock")
          .contains("held by backend").contains(" of " + db.created().pgUser());
      assertThat(Sql.hint(e)).contains("COMMIT");
      assertThat(millis).as("ms until the error").isBetween(9_000L, 20_000L);
      holder.rollback();
      assertThat(Sql.rows(c, "SELECT module_name FROM iasql_modules_installed()"))
          .extracting(r -> r.get("module_name")).contains("test_base");
      assertThat(Sql.rows(c, "SELECT * FROM iasql_uninstall('test_base')")).hasSize(2);
    }
  }

  /**
   * Anyone in a database may NOTIFY there, and whoever can connect to the metadata database may ring the doorbell
   * with anything. What is not a ring of ours is ignored: the listener used to drop its connection and presence lock
   * on it, and calls then failed "engine not running". A tenant cannot even connect to the metadata database, nor
   * run dblink to reach it as the ring role.
   */
  @Test
  void notificationsThatAreNotOursAreIgnored(TestDatabase db) throws Exception {
    try (Connection meta = DriverManager.getConnection(db.cluster().jdbcUrl("iasql_metadata"),
            db.cluster().adminUser(), db.cluster().adminPassword());
        Connection c = db.tenant()) {
      Object doorbell = doorbellPid(meta, db.name());
      for (String payload : List.of("x", "", "-1", "r:-1:" + db.name(), "r:1", "q:1:" + db.name(),
          "r:99999999999999999999:" + db.name(), "c:1; DROP TABLE x:y", "\u0007\n\u001b[31m")) {
        Sql.exec(meta, "SELECT pg_notify('iasql_ring', ?)", payload);
        Sql.exec(c, "SELECT pg_notify('iasql_ring', ?)", payload); // in the tenant's own database: nobody hears
      }
      for (int i = 0; i < 20; i++) {
        Sql.exec(meta, "NOTIFY iasql_ring, 'x'");
        assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
      }
      assertThat(doorbellPid(meta, db.name())).as("the doorbell kept its session and presence lock")
          .isEqualTo(doorbell);
      assertThat(Sql.failure(c, "SELECT iasql_engine.dblink_connect('x', 'dbname=iasql_metadata')").getSQLState())
          .as("dblink is the owner's only").isEqualTo("42501");
    }
    PSQLException refused = org.junit.jupiter.api.Assertions.assertThrows(PSQLException.class,
        () -> DriverManager.getConnection(db.cluster().jdbcUrl("iasql_metadata"), db.created().pgUser(),
            db.created().pgPassword()).close());
    assertThat(refused.getSQLState()).as("a tenant logs in to its own database only").isEqualTo("42501");
  }

  private static Object doorbellPid(Connection meta, String database) throws SQLException {
    return Sql.value(meta, "SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted"
        + " AND l.classid = ?::oid AND l.objid = (SELECT oid FROM pg_database WHERE datname = ?) AND l.objsubid = 1",
        BridgeSql.PRESENCE_CLASS, database);
  }
}
