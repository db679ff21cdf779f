package dev.iasql.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One tenant cannot take the connection slots every other tenant needs: a tenant that opened sessions until refused
 * (the review's tenant reached 290 and locked everyone out) is stopped at its own limit, and others still log in.
 */
@ExtendWith(IasqlExtension.class)
class ConnectionLimitTest {
  private static final String TOO_MANY_CONNECTIONS = "53300";

  @Test
  void aTenantIsStoppedAtItsLimitAndOthersStillLogIn(TestDatabases dbs, PostgresCluster cluster)
      throws SQLException {
    CreatedDatabase greedy = dbs.create().created();
    CreatedDatabase other = dbs.create().created();
    List<Connection> held = new ArrayList<>();
    try {
      for (int i = 0; i < Engine.DEFAULT_TENANT_CONNECTION_LIMIT; i++) {
        held.add(Pg.login(cluster, greedy.name(), greedy.pgUser(), greedy.pgPassword()));
      }
      assertThat(Pg.sqlStateOf("connection " + (held.size() + 1) + " of one tenant",
          () -> Pg.login(cluster, greedy.name(), greedy.pgUser(), greedy.pgPassword()).close()))
          .isEqualTo(TOO_MANY_CONNECTIONS);
      try (Connection c = Pg.login(cluster, other.name(), other.pgUser(), other.pgPassword())) {
        assertThat(Pg.value(c, "SELECT 1")).as("another tenant logs in").isEqualTo(1);
      }
    } finally {
      for (Connection c : held) {
        c.close();
      }
    }
  }

  @Test
  void theLimitIsASetting(PostgresCluster cluster) throws SQLException {
    String name = Pg.uniqueName("limit");
    try (Engine engine = Engine.configure().postgres(cluster).discoverExtensions(false)
        .reconcileEvery(java.time.Duration.ofHours(1)).tenantConnectionLimit(3).build()) {
      try {
        CreatedDatabase db = engine.createDatabase(name);
        try (Connection admin = Pg.admin(cluster, "postgres")) {
          assertThat(Pg.value(admin, "SELECT rolconnlimit FROM pg_roles WHERE rolname = ?", db.pgUser()))
              .isEqualTo(3);
        }
      } finally {
        Pg.dropIfPresent(engine, name);
      }
    }
  }
}
