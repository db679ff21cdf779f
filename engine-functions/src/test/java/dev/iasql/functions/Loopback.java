package dev.iasql.functions;

import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.Sql;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * For tests that stand in for an engine which attached a database and then stopped answering: the bridge's loopback
 * conninfo such an engine would have written, as the database's owner role. The test gives the role a password of its
 * own (an engine that attaches later sets its own again).
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
}
