package dev.iasql.testkit;

import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the engine can leave behind in a cluster, read as the admin: login roles named like the engine's, databases,
 * and rows of the metadata database (in any lifecycle state, half-created ones included). Two snapshots taken around a
 * failed call must be equal.
 */
record ClusterState(Set<String> iasqlRoles, Set<String> databases, Set<String> metadataRows) {

  static ClusterState of(PostgresCluster cluster) throws SQLException {
    try (Connection c = Pg.admin(cluster, "postgres");
        Connection m = Pg.admin(cluster, Engine.METADATA_DATABASE)) {
      return new ClusterState(
          new TreeSet<>(Pg.strings(c, "SELECT rolname FROM pg_roles WHERE rolname LIKE 'iasql\\_%'")),
          new TreeSet<>(Pg.strings(c, "SELECT datname FROM pg_database")),
          new TreeSet<>(Pg.strings(m, "SELECT pg_name || ' ' || pg_user || ' ' || lifecycle FROM iasql_database")));
    }
  }

  static boolean roleExists(PostgresCluster cluster, String role) throws SQLException {
    try (Connection c = Pg.admin(cluster, "postgres")) {
      return (Boolean) Pg.value(c, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?)", role);
    }
  }

  static boolean databaseExists(PostgresCluster cluster, String database) throws SQLException {
    try (Connection c = Pg.admin(cluster, "postgres")) {
      return (Boolean) Pg.value(c, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ?)", database);
    }
  }

  static boolean metadataRowExists(PostgresCluster cluster, String database) throws SQLException {
    try (Connection m = Pg.admin(cluster, Engine.METADATA_DATABASE)) {
      return (Boolean) Pg.value(m, "SELECT EXISTS (SELECT 1 FROM iasql_database WHERE pg_name = ?)", database);
    }
  }
}
