package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.sql.Pools;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import dev.iasql.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An idle database costs the engine no PostgreSQL session and no thread: one doorbell session listens for all of
 * them, and a database's connections are opened for its calls and closed once it idles (the pools' linger).
 */
@ExtendWith(IasqlExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdleDatabasesTest {
  private static final int DATABASES = 6;

  @Test
  void idleDatabasesHoldNoEngineSessionAndNoThread(TestDatabases dbs, PostgresCluster cluster) throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < DATABASES; i++) {
      names.add(dbs.create().name());
    }
    try (Connection postgres = admin(cluster)) {
      awaitNoEngineSessions(postgres, names);
      assertThat(engineSessions(postgres, names)).as("engine sessions in %s idle databases", DATABASES).isZero();
    }
    // Threads are named after what they serve (a listener, a pool's housekeeper once were, per database); a pool's
    // connection adder and closer end 5 s after their last connection.
    for (int i = 0; i < 150 && !threadsOf(names).isEmpty(); i++) {
      Thread.sleep(100);
    }
    assertThat(threadsOf(names)).as("threads of idle databases").isEmpty();
  }

  @Test
  void aCallOnAnIdleDatabaseWorksAndItsConnectionsGoAfterwards(TestDatabase db, PostgresCluster cluster)
      throws Exception {
    try (Connection postgres = admin(cluster); Connection c = db.tenant()) {
      awaitNoEngineSessions(postgres, List.of(db.name()));
      assertThat(engineSessions(postgres, List.of(db.name()))).as("before the call").isZero();
      assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
      assertThat(engineSessions(postgres, List.of(db.name()))).as("right after the call, its connection lingers")
          .isPositive();
      awaitNoEngineSessions(postgres, List.of(db.name()));
      assertThat(engineSessions(postgres, List.of(db.name()))).as("once the database idles again").isZero();
      assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).as("and it is served again").isNotEmpty();
    }
  }

  @Test
  void aDatabaseCalledSteadilyKeepsItsConnection(TestDatabase db, PostgresCluster cluster) throws Exception {
    try (Connection postgres = admin(cluster); Connection c = db.tenant()) {
      assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
      List<Integer> first = enginePids(postgres, db.name());
      assertThat(first).as("the first call's connection").isNotEmpty();
      // A call every 200 ms for twice the linger: the pool is idle between calls, never for the linger. Closing it
      // at every pause the housekeeping happened to see made a busy database log in again every 3 s (under load, a
      // login there cost its next call tens of milliseconds: the fair-load bench's idle p99).
      long end = System.nanoTime() + 2 * Pools.LINGER.toNanos();
      while (System.nanoTime() < end) {
        Sql.rows(c, "SELECT * FROM iasql_modules_list()");
        Thread.sleep(200);
      }
      assertThat(enginePids(postgres, db.name())).as("the engine's sessions after %s of steady calls",
          Pools.LINGER.multipliedBy(2)).containsAll(first);
    }
  }

  private static List<Integer> enginePids(Connection postgres, String database) throws SQLException {
    List<Integer> pids = new ArrayList<>();
    for (Map<String, Object> row : Sql.rows(postgres, "SELECT pid FROM pg_stat_activity WHERE datname = ?"
        + " AND application_name = 'iasql-engine'", database)) {
      pids.add((Integer) row.get("pid"));
    }
    return pids;
  }

  private static List<String> threadsOf(List<String> databases) {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(t -> databases.stream().anyMatch(t::contains)).toList();
  }

  private static Connection admin(PostgresCluster cluster) throws SQLException {
    return DriverManager.getConnection(cluster.jdbcUrl("postgres"), cluster.adminUser(), cluster.adminPassword());
  }

  /** The engine's sessions in these databases (the tenant's own, and its dblink loopbacks, are not the engine's). */
  private static long engineSessions(Connection postgres, List<String> databases) throws SQLException {
    return (Long) Sql.value(postgres, "SELECT count(*) FROM pg_stat_activity WHERE datname = ANY (?::text[])"
        + " AND application_name = 'iasql-engine'", (Object) databases.toArray(String[]::new));
  }

  /** The pools close what nobody used for their linger (3 s); waits twice that. */
  private static void awaitNoEngineSessions(Connection postgres, List<String> databases) throws Exception {
    for (int i = 0; i < 120 && engineSessions(postgres, databases) > 0; i++) {
      Thread.sleep(100);
    }
  }
}
