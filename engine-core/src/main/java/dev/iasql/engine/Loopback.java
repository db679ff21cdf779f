package dev.iasql.engine;

import dev.iasql.engine.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's loopback into a user database, as its owner role. It logs in with the owner's password over TCP, but
 * dblink refuses a non-superuser any connection the server asks no password for ("password is required"), so on a
 * cluster whose pg_hba trusts that route (a developer's Debian PostgreSQL, say) the owner cannot open it. There the
 * admin installs {@code iasql_engine.trusted_loopback(name)}, a definer function of its own that opens exactly that
 * connection (this database, as its owner, a conninfo fixed in its body) and nothing else, so the owner gains no other
 * login; where the route asks for the password again, the function is dropped. {@code iasql_engine.trusted_ring} does
 * the same for the bridge's ring into the metadata database, as the database's ring role.
 */
final class Loopback {
  private static final Logger LOG = LoggerFactory.getLogger(Loopback.class);
  /** dblink's "password is required": the server did not ask the non-superuser for one. */
  private static final String PASSWORD_NOT_REQUESTED = "2F003";

  private final AtomicBoolean warned = new AtomicBoolean();

  interface AdminConnection {
    Connection open() throws SQLException;
  }

  /**
   * Probes the owner's loopback from {@code owner} (a session of the database as its owner) and installs or drops the
   * trusted route accordingly. Never throws: a database whose loopback cannot be arranged is still served, and its
   * calls then fail with the cause.
   */
  void arrange(AdminPowers powers, Connection owner, AdminConnection admin, String database, String ownerRole,
      String conninfo, String conninfoWithoutPassword, String ringConnInfoWithoutPassword) {
    boolean trusted;
    try {
      trusted = !opens(owner, conninfo);
    } catch (SQLException e) {
      LOG.warn("the bridge's loopback into database {} does not open: {}", database, e.getMessage());
      return;
    }
    if (trusted && powers instanceof AdminPowers.Managed) {
      // Only a superuser's definer function may skip dblink's rule; a managed service asks passwords anyway.
      LOG.warn("the cluster's pg_hba asks no password on the loopback route into database {}, and dblink refuses a"
          + " non-superuser such a connection: the bridge's calls there fail until that route asks for a password"
          + " (scram-sha-256 or md5)", database);
      return;
    }
    try {
      if (trusted) {
        if (warned.compareAndSet(false, true)) {
          LOG.warn("the cluster's pg_hba asks no password on the loopback route ({}): every role logs in there"
              + " without one; the bridge of each database opens it through a definer function of the admin that"
              + " reaches that database as its owner only", database);
        }
        try (Connection a = admin.open()) {
          a.setAutoCommit(false);
          // Dropped first: a replaced function keeps its owner, and only the admin's may skip dblink's check.
          Sql.execFormatted(a, "DROP FUNCTION IF EXISTS iasql_engine.trusted_loopback(text)");
          Sql.execFormatted(a, "CREATE FUNCTION iasql_engine.trusted_loopback(_name text) RETURNS void"
              + " LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$ BEGIN"
              + " PERFORM iasql_engine.dblink_connect(_name, %L); END $fn$", conninfoWithoutPassword);
          Sql.execFormatted(a, "REVOKE ALL ON FUNCTION iasql_engine.trusted_loopback(text) FROM PUBLIC");
          Sql.execFormatted(a, "GRANT EXECUTE ON FUNCTION iasql_engine.trusted_loopback(text) TO %I", ownerRole);
          // The same route rings the engine's doorbell, as the database's ring role (see the bridge).
          Sql.execFormatted(a, "DROP FUNCTION IF EXISTS iasql_engine.trusted_ring(text)");
          Sql.execFormatted(a, "CREATE FUNCTION iasql_engine.trusted_ring(_name text) RETURNS void"
              + " LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$ BEGIN"
              + " PERFORM iasql_engine.dblink_connect(_name, %L); END $fn$", ringConnInfoWithoutPassword);
          Sql.execFormatted(a, "REVOKE ALL ON FUNCTION iasql_engine.trusted_ring(text) FROM PUBLIC");
          Sql.execFormatted(a, "GRANT EXECUTE ON FUNCTION iasql_engine.trusted_ring(text) TO %I", ownerRole);
          a.commit();
        }
      } else {
        // The owner owns the schema, so it may drop the admin's function there.
        try (Statement s = owner.createStatement()) {
          s.execute("DROP FUNCTION IF EXISTS iasql_engine.trusted_loopback(text)");
          s.execute("DROP FUNCTION IF EXISTS iasql_engine.trusted_ring(text)");
        }
      }
    } catch (SQLException e) {
      LOG.warn("could not arrange the bridge's loopback into database {}: {}", database, e.getMessage());
    }
  }

  /** Whether the owner opens the loopback with its password; false if the server asked for none. */
  private static boolean opens(Connection owner, String conninfo) throws SQLException {
    try (PreparedStatement ps = owner.prepareStatement("SELECT iasql_engine.dblink_connect('iasql_probe', ?),"
        + " iasql_engine.dblink_disconnect('iasql_probe')")) {
      ps.setString(1, conninfo);
      ps.execute();
      return true;
    } catch (SQLException e) {
      if (PASSWORD_NOT_REQUESTED.equals(e.getSQLState())) {
        return false;
      }
      throw e;
    }
  }
}
