package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.HikariDataSource;
import dev.iasql.engine.sql.Pools;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

  @Test
  void noMoreSessionsThanTheShareAndIdleOnesMakeRoom(PostgresCluster cluster) throws Exception {
    List<Connection> held = new ArrayList<>();
    try (Pools pools = new Pools(cluster.engineCluster(), 4)) {
      pools.limit(3);
      HikariDataSource pool = (HikariDataSource) pools.forDatabase("postgres");
      try (Connection c = pool.getConnection()) {
        Sql.value(c, "SELECT 1");
      }
      assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("the pool keeps it for its linger").isOne();
      for (int i = 0; i < 3; i++) {
        held.add(pools.counted(() -> session(cluster)));
      }
      assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("the pool's idle one made room").isZero();

      SQLException refused = assertThrows(SQLException.class, () -> pools.counted(() -> session(cluster)));
      assertThat(refused.getSQLState()).isEqualTo("53300");
      assertThat(refused.getMessage()).contains("engine's 3 sessions");

      held.remove(0).close();
      held.add(pools.counted(() -> session(cluster)));
      assertThat(held).hasSize(3);
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
}
