package dev.iasql.functions;

import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.Sql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * For tests that stand in for an engine which attached a database and then stopped answering: the bridge's loopback
 * and ring conninfos such an engine would have written, as the database's owner and ring roles. The test gives the
 * roles a password of its own (an engine that attaches later sets its own again).
 */
final class Loopback {
  private static final String PASSWORD = "loopback-test-password";

  private Loopback() {}

  static String asOwner(PostgresCluster cluster, Connection admin, String database, String tenantRole)
      throws SQLException {
    String owner = tenantRole + "_owner";
    Sql.exec(admin, (String) Sql.value(admin, "SELECT format('ALTER ROLE %I PASSWORD %L', ?::text, ?::text)", owner,
        PASSWORD));
    return cluster.bridgeConnInfo(database, owner, PASSWORD);
  }

  /**
   * Writes both conninfos into the database ({@code admin} is the admin's session there) and takes the database's
   * presence lock in the metadata database on a session of its own, returned: the engine "is there" until it is
   * closed (or {@code pg_advisory_unlock_all()} runs on it).
   */
  static Connection standIn(PostgresCluster cluster, Connection admin, String database, String tenantRole)
      throws SQLException {
    String ring = tenantRole + "_ring";
    Sql.exec(admin, (String) Sql.value(admin, "SELECT format('ALTER ROLE %I PASSWORD %L', ?::text, ?::text)", ring,
        PASSWORD));
    Sql.rows(admin, "INSERT INTO iasql_engine.config (conninfo, ring_conninfo) VALUES (?, ?) ON CONFLICT (singleton)"
        + " DO UPDATE SET conninfo = EXCLUDED.conninfo, ring_conninfo = EXCLUDED.ring_conninfo,"
        + " engine_conninfo = NULL RETURNING 1",
        asOwner(cluster, admin, database, tenantRole), cluster.bridgeConnInfo("iasql_metadata", ring, PASSWORD));
    Connection meta = DriverManager.getConnection(cluster.jdbcUrl("iasql_metadata"), cluster.adminUser(),
        cluster.adminPassword());
    Sql.rows(meta, "SELECT pg_advisory_lock_shared(?) FROM pg_database WHERE datname = ?",
        presenceKey(meta, database), database);
    return meta;
  }

  /**
   * Makes the database's calls take the queued route (request row, ring, lock), as they do where the engine's own
   * port cannot be reached: waits for the engine to have written its port, then takes it away.
   */
  static void queuedRoute(Connection admin) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (Sql.value(admin, "SELECT engine_conninfo FROM iasql_engine.config") == null) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("the engine did not write its port");
      }
      Thread.sleep(10);
    }
    Sql.exec(admin, "UPDATE iasql_engine.config SET engine_conninfo = NULL");
  }

  static long presenceKey(Connection anywhere, String database) throws SQLException {
    return Doorbell.presenceKey(((Number) Sql.value(anywhere, "SELECT oid::bigint FROM pg_database WHERE datname = ?",
        database)).longValue());
  }
}
