package dev.iasql.engine;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails at once, with the cause, when the cluster cannot be reached, is too old, or the admin lacks a power the engine
 * needs: otherwise the first pool would wait out its timeout and report neither. Says what the admin may do.
 */
final class ClusterCheck {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  /** The oldest PostgreSQL the engine runs on (what it is tested on: Debian's 15; the embedded one is 17). */
  static final int MIN_POSTGRES_VERSION_NUM = 150000;
  /** The schema the bridge finds dblink in, in every database (see {@link Tenancy#prepare}). */
  static final String DBLINK_SCHEMA = "iasql_engine";
  /** The views {@link Tenancy} hides from tenants; on a managed cluster, template1's copies decide. */
  static final List<String> ACTIVITY_VIEWS = List.of("pg_stat_activity", "pg_stat_database",
      "pg_stat_database_conflicts", "pg_stat_ssl", "pg_stat_gssapi", "pg_stat_progress_vacuum",
      "pg_stat_progress_create_index");
  private static final String SEE = " (see the README, Managed PostgreSQL)";

  private ClusterCheck() {}

  /**
   * @param usable how many sessions the cluster's users may open (max_connections less the slots reserved for
   *     superusers and for pg_use_reserved_connections)
   */
  record Checked(int usable, AdminPowers powers) {
    /** Says in the log what a managed admin means for this cluster: each protection not applied, with its fix. */
    void report(Cluster cluster) {
      if (powers instanceof AdminPowers.Managed managed) {
        LOG.warn("the admin role {} is no superuser: the engine runs on its CREATEDB and CREATEROLE and on template1"
            + " as the operator prepared it", cluster.adminUser());
        for (String gap : managed.unapplied()) {
          LOG.warn("protection not applied: {}", gap);
        }
      }
    }
  }

  static Checked check(Cluster cluster) {
    int versionNum;
    String version;
    boolean superuser;
    boolean createdb;
    boolean createrole;
    int usable;
    List<String> unapplied = new ArrayList<>();
    try (Connection c = connect(cluster, "postgres");
        PreparedStatement ps = c.prepareStatement(
            "SELECT current_setting('server_version_num')::int, current_setting('server_version'),"
                + " r.rolsuper, r.rolcreatedb, r.rolcreaterole,"
                + " current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int"
                + " - coalesce(nullif(current_setting('reserved_connections', true), ''), '0')::int,"
                + " array(SELECT d.datname || ' (' || p.p || ')' FROM pg_catalog.pg_database d,"
                + " unnest(ARRAY['CONNECT', 'TEMPORARY']) p(p) WHERE d.datname IN ('postgres', 'template1')"
                + " AND has_database_privilege('public', d.oid, p.p) ORDER BY 1)"
                + " FROM pg_catalog.pg_roles r WHERE r.rolname = current_user");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      versionNum = rs.getInt(1);
      version = rs.getString(2);
      superuser = rs.getBoolean(3);
      createdb = rs.getBoolean(4);
      createrole = rs.getBoolean(5);
      usable = rs.getInt(6);
      String[] open = (String[]) rs.getArray(7).getArray();
      if (open.length > 0) {
        unapplied.add("PUBLIC may still connect to " + String.join(", ", open) + ", so a tenant's login reaches"
            + " them; as a superuser: REVOKE CONNECT, TEMPORARY ON DATABASE postgres, template1 FROM PUBLIC;"
            + " GRANT CONNECT ON DATABASE postgres, template1 TO " + cluster.adminUser());
      }
    } catch (SQLException e) {
      throw new EngineException(ErrorCode.CLUSTER_UNREACHABLE, "cannot connect to PostgreSQL at " + cluster.host()
          + ":" + cluster.port() + " as " + cluster.adminUser() + ": " + e.getMessage(), null,
          "check that PostgreSQL runs there and that the admin user and password are right", e);
    }
    requireSupportedServer(versionNum, version);
    if (superuser) {
      return new Checked(usable, new AdminPowers.Superuser());
    }
    List<String> lacking = new ArrayList<>();
    if (!createdb) {
      lacking.add("CREATEDB");
    }
    if (!createrole) {
      lacking.add("CREATEROLE");
    }
    if (!lacking.isEmpty()) {
      throw new EngineException(ErrorCode.ADMIN_LACKS_PRIVILEGE, "the admin role " + cluster.adminUser()
          + " is no superuser and lacks " + String.join(" and ", lacking), "the engine creates a database and three"
          + " roles per IaSQL database", "as a superuser: ALTER ROLE " + cluster.adminUser() + " "
          + String.join(" ", lacking) + SEE, null);
    }
    inspectTemplate(cluster, unapplied);
    return new Checked(usable, new AdminPowers.Managed(unapplied));
  }

  /**
   * A non-superuser can neither create dblink (not a trusted extension) nor revoke on catalog objects it does not own,
   * so every new database gets these from template1, where the operator put them: refuses what the engine cannot
   * work without, and adds to {@code unapplied} each protection the operator left out.
   */
  private static void inspectTemplate(Cluster cluster, List<String> unapplied) {
    String admin = cluster.adminUser();
    try (Connection c = connect(cluster, "template1")) {
      String schema;
      String schemaOwner;
      boolean adminMay;
      boolean publicMay;
      try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname, pg_get_userbyid(n.nspowner),"
          + " has_function_privilege(current_user, p.oid, 'EXECUTE WITH GRANT OPTION')"
          + " OR has_function_privilege('public', p.oid, 'EXECUTE'), has_function_privilege('public', p.oid, 'EXECUTE')"
          + " FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace"
          + " LEFT JOIN pg_catalog.pg_proc p ON p.pronamespace = n.oid AND p.proname = 'dblink_connect'"
          + " AND p.pronargs = 2 WHERE e.extname = 'dblink'");
          ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw notPrepared("template1 has no dblink extension, and " + admin + " may not create it (it is not a"
              + " trusted extension)", templateSql(admin));
        }
        schema = rs.getString(1);
        schemaOwner = rs.getString(2);
        adminMay = rs.getBoolean(3);
        publicMay = rs.getBoolean(4);
      }
      if (!DBLINK_SCHEMA.equals(schema)) {
        throw notPrepared("template1's dblink is in schema " + schema + ", where tenants could call it; the engine"
            + " keeps it in schema " + DBLINK_SCHEMA + ", which tenants cannot use", "as a superuser, in template1:"
            + " CREATE SCHEMA IF NOT EXISTS " + DBLINK_SCHEMA + " AUTHORIZATION " + admin + "; ALTER EXTENSION dblink"
            + " SET SCHEMA " + DBLINK_SCHEMA + SEE);
      }
      if (!schemaOwner.equals(admin)) {
        throw notPrepared("template1's schema " + DBLINK_SCHEMA + " belongs to " + schemaOwner + ", not to " + admin
            + ", which hands each new database's copy to that database's owner role", "as a superuser, in template1:"
            + " ALTER SCHEMA " + DBLINK_SCHEMA + " OWNER TO " + admin + SEE);
      }
      if (!adminMay) {
        throw notPrepared(admin + " may not grant EXECUTE on template1's dblink functions, which each database's"
            + " owner role needs", "as a superuser, in template1: GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA "
            + DBLINK_SCHEMA + " TO " + admin + " WITH GRANT OPTION" + SEE);
      }
      if (publicMay) {
        unapplied.add("PUBLIC may execute dblink in template1, so every role that may use schema " + DBLINK_SCHEMA
            + " of a database may (tenants may not; the ring roles may, in " + Engine.METADATA_DATABASE
            + "); as a superuser, in template1: REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA " + DBLINK_SCHEMA
            + " FROM PUBLIC, with the grants to " + admin + " that go with it" + SEE);
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT has_table_privilege(current_user,"
          + " 'pg_catalog.pg_stat_activity', 'SELECT WITH GRANT OPTION') OR has_table_privilege('public',"
          + " 'pg_catalog.pg_stat_activity', 'SELECT'), array(SELECT v FROM unnest(?::text[]) v"
          + " WHERE to_regclass('pg_catalog.' || v) IS NOT NULL AND has_table_privilege('public', 'pg_catalog.' || v,"
          + " 'SELECT') ORDER BY 1), (SELECT count(*) FROM pg_catalog.pg_proc p WHERE p.pronamespace ="
          + " 'pg_catalog'::regnamespace AND (p.proname IN ('pg_stat_get_activity', 'pg_stat_get_progress_info')"
          + " OR p.proname LIKE 'pg\\_stat\\_get\\_db\\_%' OR p.proname LIKE 'pg\\_stat\\_get\\_backend\\_%')"
          + " AND has_function_privilege('public', p.oid, 'EXECUTE'))")) {
        ps.setArray(1, c.createArrayOf("text", ACTIVITY_VIEWS.toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            throw notPrepared(admin + " may not grant SELECT on template1's pg_stat_activity, which each database's"
                + " owner role needs (it looks for the sessions of engines that died)", "as a superuser, in"
                + " template1: GRANT SELECT ON pg_catalog.pg_stat_activity TO " + admin + " WITH GRANT OPTION;"
                + " GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_get_activity(integer) TO " + admin
                + " WITH GRANT OPTION" + SEE);
          }
          String[] visible = (String[]) rs.getArray(2).getArray();
          if (visible.length > 0) {
            unapplied.add("PUBLIC may read " + String.join(", ", visible) + " in template1, so each tenant sees"
                + " who else uses the cluster; as a superuser, in template1: REVOKE SELECT ON " + String.join(", ",
                java.util.Arrays.stream(visible).map(v -> "pg_catalog." + v).toList()) + " FROM PUBLIC, with the"
                + " grants on pg_stat_activity to " + admin + " that go with it" + SEE);
          }
          long functions = rs.getLong(3);
          if (functions > 0) {
            unapplied.add("PUBLIC may run " + functions + " of template1's pg_stat_get_* functions behind those"
                + " views, so each tenant sees who else uses the cluster; as a superuser, in template1: REVOKE"
                + " EXECUTE on each FROM PUBLIC" + SEE);
          }
        }
      }
    } catch (SQLException e) {
      throw notPrepared(admin + " cannot inspect template1: " + e.getMessage(), "as a superuser: GRANT CONNECT ON"
          + " DATABASE template1 TO " + admin + SEE);
    }
  }

  private static String templateSql(String admin) {
    return "as a superuser, in template1: CREATE SCHEMA " + DBLINK_SCHEMA + " AUTHORIZATION " + admin
        + "; CREATE EXTENSION dblink SCHEMA " + DBLINK_SCHEMA + "; then the grants" + SEE;
  }

  private static EngineException notPrepared(String message, String hint) {
    return new EngineException(ErrorCode.TEMPLATE_NOT_PREPARED, message, "a non-superuser admin can neither create"
        + " dblink nor change catalog privileges; every new database copies them from template1", hint, null);
  }

  private static Connection connect(Cluster cluster, String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", cluster.adminUser());
    p.setProperty("password", cluster.adminPassword());
    p.setProperty("ApplicationName", "iasql-engine");
    p.setProperty("connectTimeout", "10");
    return DriverManager.getConnection(cluster.jdbcUrl(database), p);
  }

  static void requireSupportedServer(int versionNum, String version) {
    if (versionNum < MIN_POSTGRES_VERSION_NUM) {
      throw EngineException.withHint(ErrorCode.POSTGRES_NOT_SUPPORTED, "PostgreSQL >= "
          + MIN_POSTGRES_VERSION_NUM / 10000 + " required, found " + version,
          "use PostgreSQL " + MIN_POSTGRES_VERSION_NUM / 10000 + " or newer (the embedded one is 17)");
    }
  }
}
