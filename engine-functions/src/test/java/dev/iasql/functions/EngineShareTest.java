package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.HikariDataSource;
import dev.iasql.engine.sql.Pools;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.LogLines;
import dev.iasql.testkit.Sql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The engine's sessions, pooled or not, count against its share of the cluster: when the share is in use, a pool's
 * idle connections are closed to make room, and beyond that a new session is refused after a bounded wait (never
 * taken from the tenants).
 */
@ExtendWith(IasqlExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineShareTest {
  /** How long a full share is waited for here: the engine's own wait (10 s) adds only time to what is tested. */
  private static final java.time.Duration REFUSE_AFTER = java.time.Duration.ofSeconds(1);

  @Test
  void noMoreSessionsThanTheShareAndIdleOnesMakeRoom(PostgresCluster cluster) throws Exception {
    List<Connection> held = new ArrayList<>();
    try (Pools pools = new Pools(cluster.engineCluster(), 4, REFUSE_AFTER, Pools.LINGER)) {
      pools.limit(8);
      int general = 8 - pools.reserve(8);
      HikariDataSource pool = (HikariDataSource) pools.forDatabase("template1", cluster.adminUser(),
          cluster.adminPassword());
      try (Connection c = pool.getConnection()) {
        Sql.value(c, "SELECT 1");
      }
      assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("the pool keeps it for its linger").isOne();
      for (int i = 0; i < general; i++) {
        held.add(pools.counted(() -> session(cluster)));
      }
      assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("the pool's idle one made room").isZero();

      SQLException refused = assertThrows(SQLException.class, () -> pools.counted(() -> session(cluster)));
      assertThat(refused.getSQLState()).isEqualTo("53300");
      assertThat(refused.getMessage()).contains("engine's " + general + " sessions").contains("after 1 s");

      held.remove(0).close();
      held.add(pools.counted(() -> session(cluster)));
      assertThat(held).hasSize(general);
    } finally {
      for (Connection c : held) {
        c.close();
      }
    }
  }

  /**
   * A session a pool has just logged in counts as just used: the linger closes a pool's connections once none has been
   * given back or opened for its length. (It counted from the last one given back: a pool idle past its linger that
   * logged in again for a waiting call had the new session closed under it whenever the linger's tick came between the
   * login and the call taking it. Under a storm of logins that is often: calls then waited their 10 s and failed.)
   * Hikari opens a session ahead of any borrow when asked to keep one idle, which is that moment held still.
   */
  @Test
  void aSessionJustLoggedInIsNotClosedAsLingering(PostgresCluster cluster) throws Exception {
    java.time.Duration linger = java.time.Duration.ofSeconds(2);
    String housekeeping = System.setProperty("com.zaxxer.hikari.housekeeping.periodMs", "100");
    try (Pools pools = new Pools(cluster.engineCluster(), 4, REFUSE_AFTER, linger)) {
      HikariDataSource pool = (HikariDataSource) pools.forDatabase("template1", cluster.adminUser(),
          cluster.adminPassword());
      try (Connection c = pool.getConnection()) {
        Sql.value(c, "SELECT 1");
      }
      awaitTotal(pool, 0, 10_000); // closed after its linger
      Thread.sleep(linger.toMillis() + 500); // its last return now lies further back than the linger
      pool.getHikariConfigMXBean().setMinimumIdle(1);
      awaitTotal(pool, 1, 10_000);
      pool.getHikariConfigMXBean().setMinimumIdle(0);
      Thread.sleep(1_000); // two of the linger's ticks
      assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("the session logged in a second ago").isOne();
      awaitTotal(pool, 0, linger.toMillis() + 5_000); // and closed once it has lingered
    } finally {
      if (housekeeping == null) {
        System.clearProperty("com.zaxxer.hikari.housekeeping.periodMs");
      } else {
        System.setProperty("com.zaxxer.hikari.housekeeping.periodMs", housekeeping);
      }
    }
  }

  private static void awaitTotal(HikariDataSource pool, int total, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (pool.getHikariPoolMXBean().getTotalConnections() != total && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("the pool's sessions").isEqualTo(total);
  }

  /**
   * A storm of logins (hundreds of databases calling at once after a start) shows in the log, not only as slow calls:
   * a session that waited a second or more for its turn to log in (four at a time) says so, and how long its own
   * login took.
   */
  @Test
  void aLongWaitForATurnToLogInIsLogged(PostgresCluster cluster) throws Exception {
    LogLines log = LogLines.of(Pools.class);
    ExecutorService callers = Executors.newFixedThreadPool(Pools.LOGINS_AT_ONCE + 1);
    List<Connection> held = java.util.Collections.synchronizedList(new ArrayList<>());
    try (Pools pools = new Pools(cluster.engineCluster(), 4)) {
      List<Future<?>> logins = new ArrayList<>();
      for (int i = 0; i < Pools.LOGINS_AT_ONCE; i++) {
        logins.add(callers.submit(() -> held.add(pools.counted(() -> {
          try {
            Thread.sleep(1_500); // a slow login: PostgreSQL's under a storm takes hundreds of ms
          } catch (InterruptedException e) {
            throw new SQLException(e);
          }
          return session(cluster);
        }))));
      }
      Thread.sleep(200); // the four slow ones have their turns
      held.add(pools.counted(() -> session(cluster)));
      for (Future<?> f : logins) {
        f.get();
      }
      List<String> lines = log.messages();
      assertThat(lines).as("the fifth login waited for a turn")
          .anyMatch(l -> l.matches("logged into a dedicated session after waiting [0-9]{4} ms for its turn to log in,"
              + " and [0-9]+ ms to log in"));
      assertThat(lines.stream().filter(l -> l.contains("a dedicated session"))).as("only waits of a second or more")
          .hasSize(1);
    } finally {
      log.close();
      callers.shutdownNow();
      for (Connection c : held) {
        c.close();
      }
    }
  }

  /**
   * A full share closes the connections of the pool idle longest, not of every idle pool: a database that called a
   * moment ago keeps its own, and its next call needs no login. (Closing them all, 200 busy databases took each other's
   * connections in turn and every call waited for a login again, until the logins timed out.)
   */
  @Test
  void aFullShareClosesTheLongestIdlePoolFirst(PostgresCluster cluster) throws Exception {
    List<Connection> held = new ArrayList<>();
    // Idle pools linger here until the share needs their sessions.
    try (Pools pools = new Pools(cluster.engineCluster(), 4, REFUSE_AFTER, java.time.Duration.ofMinutes(10))) {
      pools.limit(8);
      int general = 8 - pools.reserve(8);
      HikariDataSource earlier = (HikariDataSource) pools.forDatabase("template1", cluster.adminUser(),
          cluster.adminPassword());
      HikariDataSource later = (HikariDataSource) pools.forDatabase("postgres", cluster.adminUser(),
          cluster.adminPassword());
      try (Connection c = earlier.getConnection()) {
        Sql.value(c, "SELECT 1");
      }
      Thread.sleep(100); // given back before the other
      try (Connection c = later.getConnection()) {
        Sql.value(c, "SELECT 1");
      }
      for (int i = 0; i < general - 1; i++) {
        held.add(pools.counted(() -> session(cluster)));
      }
      assertThat(earlier.getHikariPoolMXBean().getTotalConnections()).as("the longest idle pool made room").isZero();
      assertThat(later.getHikariPoolMXBean().getTotalConnections()).as("the one used a moment ago kept its own")
          .isOne();

      held.add(pools.counted(() -> session(cluster)));
      assertThat(later.getHikariPoolMXBean().getTotalConnections()).as("then it made room too").isZero();
    } finally {
      for (Connection c : held) {
        c.close();
      }
    }
  }

  /**
   * Every call's guard reads the metadata database while its worker holds a connection to its own database: busy
   * databases that take every other session of the share must still leave the admin's pools theirs. (With one budget
   * for all, 50 busy databases on a cluster of 300 connections failed 241 calls with IQ901 "cannot read the guard
   * state", the metadata pool unable to open a single connection.)
   */
  @Test
  void busyDatabasesNeverTakeTheMetadataPoolsSessions(PostgresCluster cluster) throws Exception {
    List<Connection> held = new ArrayList<>();
    try (Pools pools = new Pools(cluster.engineCluster(), 4, REFUSE_AFTER, Pools.LINGER)) {
      pools.limit(8);
      assertThat(pools.reserve(8)).isEqualTo(2);
      for (int i = 0; i < 6; i++) {
        held.add(pools.counted(() -> session(cluster)));
      }
      assertThat(assertThrows(SQLException.class, () -> pools.counted(() -> session(cluster))).getSQLState())
          .as("the share is in use").isEqualTo("53300");
      HikariDataSource metadata = (HikariDataSource) pools.forDatabase("postgres");
      try (Connection a = metadata.getConnection(); Connection b = metadata.getConnection()) {
        assertThat(Sql.value(a, "SELECT 1")).isEqualTo(1);
        assertThat(Sql.value(b, "SELECT 1")).isEqualTo(1);
      }
    } finally {
      for (Connection c : held) {
        c.close();
      }
    }
  }

  private static Connection session(PostgresCluster cluster) throws SQLException {
    return DriverManager.getConnection(cluster.jdbcUrl("postgres"), cluster.adminUser(),
        cluster.adminPassword());
  }

  /**
   * Logins are opened a few at a time, however many are asked for at once: each costs PostgreSQL a process and a
   * password check, and 200 at once on two cores outlasted their login timeout, every one of them. The admin's pools
   * log in on their own meanwhile: the guard's metadata sessions never wait behind the databases' logins.
   */
  @Test
  void logInAFewAtATime(PostgresCluster cluster) throws Exception {
    AtomicInteger inProgress = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    List<Connection> held = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService threads = Executors.newFixedThreadPool(12);
    try (Pools pools = new Pools(cluster.engineCluster(), 4)) {
      List<Future<?>> opened = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        opened.add(threads.submit(() -> {
          held.add(pools.counted(() -> {
            most.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
            try {
              gate.await(); // a slow login: the others arrive meanwhile
              return session(cluster);
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            } finally {
              inProgress.decrementAndGet();
            }
          }));
          return null;
        }));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // only for the threads to start
      while (inProgress.get() < Pools.LOGINS_AT_ONCE && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      try (Connection metadata = pools.forDatabase("postgres").getConnection()) {
        assertThat(Sql.value(metadata, "SELECT 1")).as("the admin's pool, while the others' logins hang").isEqualTo(1);
      }
      gate.countDown();
      for (Future<?> f : opened) {
        f.get(30, TimeUnit.SECONDS);
      }
      assertThat(held).hasSize(12);
      assertThat(most.get()).as("logins in progress at once").isEqualTo(Pools.LOGINS_AT_ONCE);
    } finally {
      gate.countDown();
      threads.shutdownNow();
      for (Connection c : held) {
        c.close();
      }
    }
  }
}
