package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.postgres.EmbeddedOptions;
import dev.iasql.testkit.Sql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
