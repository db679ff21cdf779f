package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.postgres.EmbeddedOptions;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.Sql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine keeps to its share of the cluster's connections (a third of what its users may open), whatever number
 * of databases rang a moment ago: tenants can always log in. On a cluster of 40 connections (37 for users) the
 * engine opens at most 12 sessions, while a tenant calls 16 databases one after the other, each leaving pooled
 * connections behind for the pools' linger.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TenantShareTest {
  private static final int DATABASES = 16;
  private static final int SHARE = 37 * 33 / 100;

  @Test
  void theEngineNeverTakesTheTenantsShareOfConnections() throws Exception {
    try (PostgresCluster cluster = PostgresCluster.embedded(EmbeddedOptions.forTests().withMaxConnections(40));
        Engine engine = Engine.configure().postgres(cluster).build();
        Connection postgres = DriverManager.getConnection(cluster.jdbcUrl("postgres"), cluster.adminUser(),
            cluster.adminPassword())) {
      List<CreatedDatabase> dbs = new ArrayList<>();
      for (int i = 0; i < DATABASES; i++) {
        dbs.add(engine.createDatabase("share_" + i));
      }
      AtomicLong most = new AtomicLong();
      AtomicBoolean done = new AtomicBoolean();
      Thread sampler = new Thread(() -> {
        try {
          while (!done.get()) {
            most.accumulateAndGet(engineSessions(postgres), Math::max);
            Thread.sleep(5);
          }
        } catch (SQLException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      sampler.start();
      for (CreatedDatabase db : dbs) {
        try (Connection c = tenant(cluster, db)) {
          assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
        }
      }
      // With the engine at its share, tenants log in and call (each such session costs three: its own, its
      // loopback and its ring).
      List<Connection> more = new ArrayList<>();
      try {
        for (CreatedDatabase db : dbs.subList(0, 4)) {
          Connection c = tenant(cluster, db);
          more.add(c);
          assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
        }
      } finally {
        for (Connection c : more) {
          c.close();
        }
      }
      done.set(true);
      sampler.join();
      assertThat(most.get()).as("the engine's sessions at most").isPositive().isLessThanOrEqualTo(SHARE);
    }
  }

  private static Connection tenant(PostgresCluster cluster, CreatedDatabase db) throws SQLException {
    return DriverManager.getConnection(cluster.jdbcUrl(db.name()), db.pgUser(), db.pgPassword());
  }

  private static long engineSessions(Connection postgres) throws SQLException {
    return (Long) Sql.value(postgres, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'iasql-engine'");
  }
}
