package dev.iasql.engine;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Fails at once, with the cause, when the cluster cannot be reached, is too old, or the admin is no superuser:
 * otherwise the first pool would wait out its timeout and report neither.
 */
final class ClusterCheck {
  /** The oldest PostgreSQL the engine runs on (what it is tested on: Debian's 15; the embedded one is 17). */
  static final int MIN_POSTGRES_VERSION_NUM = 150000;

  private ClusterCheck() {}

  /**
   * Checks the cluster; returns how many sessions its users may open (max_connections less the slots reserved for
   * superusers and for pg_use_reserved_connections).
   */
  static int check(Cluster cluster) {
    Properties p = new Properties();
    p.setProperty("user", cluster.adminUser());
    p.setProperty("password", cluster.adminPassword());
    p.setProperty("ApplicationName", "iasql-engine");
    p.setProperty("connectTimeout", "10");
    int versionNum;
    String version;
    boolean superuser;
    int usable;
    try (Connection c = DriverManager.getConnection(cluster.jdbcUrl("postgres"), p);
        PreparedStatement ps = c.prepareStatement(
            "SELECT current_setting('server_version_num')::int, current_setting('server_version'),"
                + " (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user),"
                + " current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int"
                + " - coalesce(nullif(current_setting('reserved_connections', true), ''), '0')::int");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      versionNum = rs.getInt(1);
      version = rs.getString(2);
      superuser = rs.getBoolean(3);
      usable = rs.getInt(4);
    } catch (SQLException e) {
      throw new EngineException(ErrorCode.CLUSTER_UNREACHABLE, "cannot connect to PostgreSQL at " + cluster.host()
          + ":" + cluster.port() + " as " + cluster.adminUser() + ": " + e.getMessage(), null,
          "check that PostgreSQL runs there and that the admin user and password are right", e);
    }
    requireSupportedServer(versionNum, version);
    if (!superuser) {
      // A non-superuser's REVOKE of what it does not own only warns: the engine would run with tenants less isolated
      // than it says. Refused until the managed-service path (CREATEDB, CREATEROLE, dblink pre-created) exists.
      throw new EngineException(ErrorCode.ADMIN_NOT_SUPERUSER, "the admin role " + cluster.adminUser()
          + " is not a superuser, which this engine still needs", "it creates the dblink extension in every"
          + " database, revokes PUBLIC's access to postgres, template1 and the activity views (a non-superuser's"
          + " REVOKE skips these with a mere warning, leaving tenants less isolated) and moves databases of older"
          + " engines to their owner roles", "connect as a superuser (the role initdb made, postgres on Debian)",
          null);
    }
    return usable;
  }

  static void requireSupportedServer(int versionNum, String version) {
    if (versionNum < MIN_POSTGRES_VERSION_NUM) {
      throw EngineException.withHint(ErrorCode.POSTGRES_NOT_SUPPORTED, "PostgreSQL >= "
          + MIN_POSTGRES_VERSION_NUM / 10000 + " required, found " + version,
          "use PostgreSQL " + MIN_POSTGRES_VERSION_NUM / 10000 + " or newer (the embedded one is 17)");
    }
  }
}
