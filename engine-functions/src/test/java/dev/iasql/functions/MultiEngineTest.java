package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several engines on one cluster: each attaches what another created and lets go of what another dropped, told at
 * once (their periodic compare is an hour here); one engine at a time serves a database.
 */
@ExtendWith(IasqlExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultiEngineTest {

  @Test
  void enginesFollowEachOthersCreatesAndDropsAndOneServesEach(Engine shared, PostgresCluster cluster)
      throws Exception {
    try (Engine second = Engine.configure().postgres(cluster)
        .reconcileEvery(Duration.ofHours(1)).build()) {
      String name = "t_multi_" + ProcessHandle.current().pid();
      CreatedDatabase db = shared.createDatabase(name);
      await(() -> second.attachedDatabases().contains(name));
      try (Connection admin = DriverManager.getConnection(cluster.jdbcUrl(name), cluster.adminUser(),
              cluster.adminPassword());
          Connection c = DriverManager.getConnection(cluster.jdbcUrl(name), db.pgUser(), db.pgPassword())) {
        // Both engines have attached the database, and keep trying its lock: one holds it, the other waits its turn.
        for (int i = 0; i < 10; i++) {
          assertThat(presenceHolders(admin, name)).as("one engine holds the presence lock").isEqualTo(1L);
          Thread.sleep(200);
        }
        // Calls are claimed once, whichever engine gets there first.
        for (int i = 0; i < 20; i++) {
          Sql.rows(c, "SELECT * FROM iasql_modules_list()");
        }
        assertThat(Sql.value(c, "SELECT count(*) FROM iasql_operation WHERE status = 'done'")).isEqualTo(20L);
      }
      shared.dropDatabase(name);
      await(() -> !second.attachedDatabases().contains(name));
      assertThat(second.listDatabases()).extracting(d -> d.name()).doesNotContain(name);
    }
  }

  /** Asking an engine to serve a database first names the database: a null name is invalid input, not a crash. */
  @Test
  void serveSoonRefusesANullName(Engine shared) {
    assertThatThrownBy(() -> shared.serveSoon(null)).isInstanceOfSatisfying(EngineException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
      assertThat(e.getMessage()).isEqualTo("database is null");
    });
  }

  /**
   * A database whose bridge plumbing an older build installed (here: without the request-lock key column and with a
   * stale digest) is brought up to this build's before an engine serves it; its calls then work.
   */
  @Test
  void anEngineRefreshesTheBridgeOfADatabaseAnOlderBuildMade(Engine shared, PostgresCluster cluster)
      throws Exception {
    String name = "t_oldbridge_" + ProcessHandle.current().pid();
    CreatedDatabase db = shared.createDatabase(name);
    try (Connection admin = DriverManager.getConnection(cluster.jdbcUrl(name), cluster.adminUser(),
            cluster.adminPassword());
        Connection c = DriverManager.getConnection(cluster.jdbcUrl(name), db.pgUser(), db.pgPassword())) {
      Sql.exec(admin, "ALTER TABLE iasql_operation DROP COLUMN lock_key");
      Sql.exec(admin, "UPDATE iasql_engine.config SET plumbing = 'an older build'");
      try (Engine second = Engine.configure().postgres(cluster).build()) {
        assertThat(second.attachedDatabases()).contains(name);
        assertThat(Sql.value(admin, "SELECT plumbing FROM iasql_engine.config"))
            .isEqualTo(BridgeSql.plumbingDigest());
        for (int i = 0; i < 10; i++) {
          assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
        }
      }
    } finally {
      shared.dropDatabase(name);
    }
  }

  private static long presenceHolders(Connection admin, String database) throws SQLException {
    return (Long) Sql.value(admin, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        + " AND classid = ? AND objid = (SELECT oid FROM pg_database WHERE datname = ?) AND objsubid = 1"
        + " AND database = (SELECT oid FROM pg_database WHERE datname = 'iasql_metadata')",
        (long) BridgeSql.PRESENCE_CLASS, database);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
      Thread.sleep(50);
    }
    assertThat(condition.getAsBoolean()).as("condition reached within 10 s").isTrue();
  }
}
