package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.engine.spi.AttachedDatabase;
import dev.iasql.engine.spi.EngineExtension;
import dev.iasql.postgres.EmbeddedOptions;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.Sql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An engine that starts attaches every existing database and runs what was queued before it came. On a cluster of its
 * own: on the shared one, the shared engine would take the database over first.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineStartTest {

  @Test
  void aStartingEngineServesExistingDatabasesAndRunsQueuedCalls() throws Exception {
    try (PostgresCluster cluster = PostgresCluster.embedded(EmbeddedOptions.forTests())) {
      // An engine with the bridge has run there once: the metadata database has the doorbell.
      Engine.configure().postgres(cluster).build().close();
      startAndRunQueued(cluster);
    }
  }

  /**
   * A database a caller waits for is served ahead of those a starting engine is still attaching one by one: an engine
   * starting on a cluster of 1,000 databases reached the last ones minutes later, and their callers failed meanwhile
   * (IQ002), though an engine ran. Here every other database's attach is held until the call has been answered.
   */
  @Test
  void aDatabaseACallerWaitsForIsServedBeforeTheStartReachesIt() throws Exception {
    try (PostgresCluster cluster = PostgresCluster.embedded(EmbeddedOptions.forTests())) {
      Map<String, CreatedDatabase> dbs = new HashMap<>();
      try (Engine earlier = Engine.configure().postgres(cluster).build()) {
        for (int i = 0; i < 3; i++) {
          CreatedDatabase db = earlier.createDatabase("t_first_" + i);
          dbs.put(db.name(), db);
        }
      }
      AtomicReference<String> called = new AtomicReference<>();
      CountDownLatch holding = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      List<String> held = new CopyOnWriteArrayList<>();
      EngineExtension slowToAttach = new EngineExtension() {
        @Override
        public void attach(AttachedDatabase database) {
          if (database.kind() == AttachedDatabase.Kind.USER && !database.name().equals(called.get())) {
            held.add(database.name());
            holding.countDown();
            try {
              release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }
      };
      CompletableFuture<Engine> starting = CompletableFuture.supplyAsync(
          () -> Engine.configure().postgres(cluster).extension(slowToAttach).build());
      try {
        assertThat(holding.await(60, TimeUnit.SECONDS)).as("the start attaches its first database").isTrue();
        String name = dbs.keySet().stream().filter(n -> !held.contains(n)).findFirst().orElseThrow();
        called.set(name);
        try (Connection admin = DriverManager.getConnection(cluster.jdbcUrl(Engine.METADATA_DATABASE), cluster.adminUser(),
                cluster.adminPassword())) {
          for (int i = 0; i < 200 && (Long) Sql.value(admin, "SELECT count(*) FROM pg_locks WHERE locktype ="
              + " 'advisory' AND granted AND classid::bigint = ? AND objid::bigint = ?", (long) BridgeSql.ENGINE_ALIVE_CLASS,
              (long) BridgeSql.ENGINE_ALIVE_ID) == 0; i++) {
            Thread.sleep(50); // the starting engine's doorbell says it runs
          }
        }
        CreatedDatabase db = dbs.get(name);
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(name), db.pgUser(), db.pgPassword())) {
          Sql.exec(c, "SET iasql.pickup_timeout = '20s'");
          assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).as("served while the start is held")
              .isNotEmpty();
        }
        assertThat(starting).as("the start is still held at its first database").isNotDone();
      } finally {
        release.countDown();
        starting.get(60, TimeUnit.SECONDS).close();
      }
    }
  }

  private static void startAndRunQueued(PostgresCluster cluster) throws Exception {
    String name = "t_start_" + ProcessHandle.current().pid();
    CreatedDatabase db;
    try (Engine bare = Engine.configure().postgres(cluster).discoverExtensions(false).build()) {
      db = bare.createDatabase(name);
    }
    try (Connection holder = DriverManager.getConnection(cluster.jdbcUrl(name), cluster.adminUser(),
            cluster.adminPassword());
        Connection c = DriverManager.getConnection(cluster.jdbcUrl(name), db.pgUser(), db.pgPassword());
        // A previous engine left its conninfos and still looks present, so the call queues instead of failing.
        Connection presence = Loopback.standIn(cluster, holder, name, db.pgUser())) {
      try (Statement s = c.createStatement()) {
        s.execute("SET iasql.pickup_timeout = '60s'");
      }
      CompletableFuture<List<Map<String, Object>>> call = CompletableFuture.supplyAsync(() -> {
        try {
          return Sql.rows(c, "SELECT * FROM iasql_install('test_base')");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      for (int i = 0; i < 200 && (Long) Sql.value(holder, "SELECT count(*) FROM iasql_operation") == 0; i++) {
        Thread.sleep(25);
      }
      assertThat(Sql.value(holder, "SELECT status FROM iasql_operation")).isEqualTo("pending");
      // It goes (one engine serves a database at a time, so the new one could not while it did), while an engine
      // still runs on the cluster: the call keeps waiting.
      Sql.rows(presence, "SELECT pg_advisory_unlock_all()");
      Sql.rows(presence, "SELECT pg_advisory_lock_shared(?, ?)", BridgeSql.ENGINE_ALIVE_CLASS,
          BridgeSql.ENGINE_ALIVE_ID);

      try (Engine started = Engine.configure().postgres(cluster).build()) {
        assertThat(call.get(60, TimeUnit.SECONDS)).extracting(r -> r.get("created_table_name"))
            .containsExactly("test_base_item", "test_base_tag");
        assertThat(started.listDatabases()).extracting(d -> d.name()).contains(name);
      }
    } finally {
      try (Engine cleanup = Engine.configure().postgres(cluster).discoverExtensions(false)
          .build()) {
        cleanup.dropDatabase(name);
      }
    }
  }
}
