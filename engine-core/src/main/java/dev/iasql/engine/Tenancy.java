package dev.iasql.engine;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.platform.PlatformModule;
import dev.iasql.engine.sql.Sql;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * The roles of a user database and what each may do there. Two roles work in the database:
 *
 * <ul>
 *   <li>the <b>tenant</b>, the user's login: reads and writes module tables, reads the platform tables, calls the
 *       engine's functions, and owns a schema of its own (named after it, so first on its default search_path) for its
 *       own tables, views and functions;
 *   <li>the <b>owner</b>, the engine's login inside that database only: owns the database, its tables, the definer
 *       functions and triggers, and does the engine's work there. Not a superuser, so a mistake in code a tenant can
 *       reach gives the tenant at most its own database.
 * </ul>
 *
 * A third role per database, the <b>ring</b> role, only rings the engine's doorbell in the metadata database.
 *
 * <p>The admin only creates and drops the roles and the database, creates the dblink extension (which is not trusted)
 * and sets catalog privileges. The owner's password is derived from the engine secret, so every engine of a cluster
 * knows it and none stores it per database.
 *
 * <p>An admin that is no superuser ({@link AdminPowers.Managed}) can do neither of the last two: each new database
 * copies dblink and the catalog's privileges from template1, as the operator prepared it ({@link ClusterCheck}). It
 * makes itself a member of the roles it creates (CREATE DATABASE … OWNER and CREATE SCHEMA … AUTHORIZATION need
 * that), owns the database while preparing it (the public schema belongs to the database's owner, and the NOINHERIT
 * owner role would not pass that on), then hands it to the owner role. The membership goes one way: no role of a
 * database is a member of the admin.
 */
final class Tenancy {
  /** A login: role and password. */
  record Login(String user, String password) {
    Login {
      requireNonNull(user, "user is null");
      requireNonNull(password, "password is null");
    }

    @Override
    public String toString() {
      return "Login[" + user + "]";
    }
  }

  private final byte[] secret;
  private final int tenantConnectionLimit;
  private final int ownerConnectionLimit;
  private final AdminPowers powers;

  Tenancy(byte[] secret, int tenantConnectionLimit, int ownerConnectionLimit, AdminPowers powers) {
    this.secret = secret.clone();
    this.tenantConnectionLimit = tenantConnectionLimit;
    this.ownerConnectionLimit = ownerConnectionLimit;
    this.powers = requireNonNull(powers, "powers is null");
  }

  AdminPowers powers() {
    return powers;
  }

  /** The owner role of the database whose tenant is {@code tenantRole}. */
  Login owner(String tenantRole) {
    return derived(tenantRole + "_owner");
  }

  /**
   * The ring role of the database whose tenant is {@code tenantRole}: the bridge's functions there log in to the
   * metadata database as it to ring the engine's doorbell, and it may do nothing else (see {@link #RINGERS}).
   */
  Login ring(String tenantRole) {
    return derived(tenantRole + "_ring");
  }

  /**
   * The group of every ring role: it may connect to the metadata database and run the doorbell function there, nothing
   * more (the metadata tables are revoked from PUBLIC).
   */
  static final String RINGERS = "iasql_ringers";

  private Login derived(String role) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return new Login(role, HexFormat.of().formatHex(mac.doFinal(role.getBytes(StandardCharsets.UTF_8))));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  /** As the admin in a maintenance database: the two roles. */
  void createRoles(Connection admin, String tenantRole, String tenantPassword) {
    Login owner = owner(tenantRole);
    withGeneratedPassword(admin, "CREATE ROLE %I LOGIN PASSWORD %L CONNECTION LIMIT %s", tenantRole,
        tenantPassword, tenantConnectionLimit);
    createOwner(admin, owner);
    ensureRing(admin, tenantRole);
    if (powers instanceof AdminPowers.Managed) {
      // CREATE DATABASE … OWNER and CREATE SCHEMA … AUTHORIZATION need a non-superuser to be a member of that role;
      // also lets it end their sessions at drop. (PostgreSQL 16+ gives a creator ADMIN OPTION only, which is not enough.)
      Sql.execFormatted(admin, "GRANT %I, %I TO CURRENT_USER", owner.user(), tenantRole);
    }
  }

  /**
   * As the admin in a maintenance database: a new database, owned by its owner role. A non-superuser admin owns it
   * itself until {@link #prepare} is done, then hands it over with {@link #handOver}.
   */
  void createDatabase(Connection admin, String database, String tenantRole) {
    if (powers instanceof AdminPowers.Superuser) {
      Sql.execFormatted(admin, "CREATE DATABASE %I OWNER %I", database, owner(tenantRole).user());
    } else {
      Sql.execFormatted(admin, "CREATE DATABASE %I", database);
    }
  }

  /** As the admin, after {@link #prepare}: the database to its owner role. */
  void handOver(Connection admin, String database, String tenantRole) {
    if (powers instanceof AdminPowers.Managed) {
      Sql.execFormatted(admin, "ALTER DATABASE %I OWNER TO %I", database, owner(tenantRole).user());
    }
  }

  /**
   * As the admin in a maintenance database: the ring role of a database, made if a database from before ring roles
   * lacks it, its password set to the derived one (idempotent). A tenant session that calls holds one ring session.
   */
  void ensureRing(Connection admin, String tenantRole) {
    Login ring = ring(tenantRole);
    try {
      withGeneratedPassword(admin, "CREATE ROLE %I LOGIN INHERIT PASSWORD %L CONNECTION LIMIT %s IN ROLE %I",
          ring.user(), ring.password(), tenantConnectionLimit + 2, RINGERS);
    } catch (DataAccessException e) {
      if (!"42710".equals(e.sqlState())) { // duplicate_object: made by another engine, or at create
        throw e;
      }
      withGeneratedPassword(admin, "ALTER ROLE %I PASSWORD %L", ring.user(), ring.password());
    }
  }

  /** As the admin, once per cluster: the ring roles' group, allowed into the metadata database (idempotent). */
  static void ensureRingers(Connection admin, String metadataDatabase) {
    try {
      Sql.execFormatted(admin, "CREATE ROLE %I NOLOGIN", RINGERS);
    } catch (DataAccessException e) {
      if (!"42710".equals(e.sqlState())) {
        throw e;
      }
    }
    Sql.execFormatted(admin, "GRANT CONNECT ON DATABASE %I TO %I", metadataDatabase, RINGERS);
  }

  private void createOwner(Connection admin, Login owner) {
    withGeneratedPassword(admin, "CREATE ROLE %I LOGIN NOINHERIT PASSWORD %L CONNECTION LIMIT %s",
        owner.user(), owner.password(), ownerConnectionLimit);
    // Every session of the engine in that database resolves names in pg_catalog (implicitly first), then public,
    // never elsewhere, and creates in public.
    Sql.execFormatted(admin, "ALTER ROLE %I SET search_path = public, pg_temp", owner.user());
  }

  /** As the admin, in the new database itself, before any module is installed (idempotent). */
  void prepare(Connection admin, String tenantRole) {
    String owner = owner(tenantRole).user();
    DSLContext dsl = Sql.dsl(admin);
    Sql.execFormatted(admin, "REVOKE ALL ON SCHEMA public FROM PUBLIC");
    Sql.execFormatted(admin, "GRANT USAGE ON SCHEMA public TO %I", tenantRole);
    // public belongs to pg_database_owner, whose rights the (NOINHERIT) owner role does not inherit before
    // PostgreSQL 16: granted by name, so the engine's work there does not depend on the server's version.
    Sql.execFormatted(admin, "GRANT USAGE, CREATE ON SCHEMA public TO %I", owner);
    // The tenant's own objects: first on its default search_path ("$user", public), so CREATE VIEW just works, and
    // never on the engine's (whose sessions resolve names in pg_catalog and public only).
    Sql.execFormatted(admin, "CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I", tenantRole, tenantRole);
    Sql.execFormatted(admin, "CREATE SCHEMA IF NOT EXISTS iasql_engine AUTHORIZATION %I", owner);
    Sql.execFormatted(admin, "ALTER SCHEMA iasql_engine OWNER TO %I", owner);
    Sql.execFormatted(admin, "REVOKE ALL ON SCHEMA iasql_engine FROM PUBLIC");
    Sql.execFormatted(admin, "CREATE EXTENSION IF NOT EXISTS dblink SCHEMA iasql_engine");
    Sql.execFormatted(admin, "ALTER DEFAULT PRIVILEGES FOR ROLE %I REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC", owner);
    // dblink_connect_u connects without a password, through the trusted socket as anyone: never the owner's.
    String dblinkFunctions = "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid"
        + " AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e' JOIN pg_extension e ON e.oid = d.refobjid"
        + " WHERE e.extname = 'dblink'";
    if (powers instanceof AdminPowers.Superuser) {
      for (String f : dsl.fetch(dblinkFunctions).getValues(0, String.class)) {
        Sql.execFormatted(admin, "REVOKE ALL ON FUNCTION " + f + " FROM PUBLIC");
        if (!f.startsWith("iasql_engine.dblink_connect_u(")) {
          Sql.execFormatted(admin, "GRANT EXECUTE ON FUNCTION " + f + " TO %I", owner);
        }
      }
      hideOtherTenants(admin, dsl, owner);
    } else {
      // template1's dblink belongs to the superuser: PUBLIC's EXECUTE stays as the operator left it (the tenant
      // cannot use schema iasql_engine either way); what the admin may pass on, the owner gets.
      for (String f : dsl.fetch(dblinkFunctions + " AND p.proname <> 'dblink_connect_u'"
          + " AND has_function_privilege(p.oid, 'EXECUTE WITH GRANT OPTION')").getValues(0, String.class)) {
        Sql.execFormatted(admin, "GRANT EXECUTE ON FUNCTION " + f + " TO %I", owner);
      }
      // The activity views are as template1 has them (ClusterCheck reports what the operator left visible).
      if (Boolean.TRUE.equals(dsl.fetchValue("SELECT has_table_privilege('pg_catalog.pg_stat_activity',"
          + " 'SELECT WITH GRANT OPTION')"))) {
        grantActivity(admin, owner);
      }
      requireIsolation(dsl, tenantRole, owner);
    }
  }

  /**
   * What the superuser path makes sure of by revoking, checked where the admin could not revoke: the tenant cannot
   * reach dblink, the owner can (but never dblink_connect_u).
   */
  private static void requireIsolation(DSLContext dsl, String tenantRole, String owner) {
    var r = dsl.fetchOne("SELECT has_schema_privilege(?, 'iasql_engine', 'USAGE'),"
        + " has_function_privilege(?, 'iasql_engine.dblink_connect(text, text)', 'EXECUTE'),"
        + " has_function_privilege(?, 'iasql_engine.dblink_connect_u(text, text)', 'EXECUTE')",
        tenantRole, owner, owner);
    if (Boolean.TRUE.equals(r.get(0)) || !Boolean.TRUE.equals(r.get(1)) || Boolean.TRUE.equals(r.get(2))) {
      throw new EngineException(ErrorCode.TEMPLATE_NOT_PREPARED, "the new database's dblink is not as the engine"
          + " needs it: tenant may use schema iasql_engine: " + r.get(0) + ", owner may run dblink_connect: "
          + r.get(1) + ", owner may run dblink_connect_u: " + r.get(2), null, "prepare template1 as the README's"
          + " Managed PostgreSQL says", null);
    }
  }

  /**
   * Who else uses the cluster and how much: PostgreSQL shows every session and database's activity to everyone. The
   * views and the functions behind them are per database, so revoking them here changes no other database. Database
   * and role names (pg_database, pg_roles) stay visible: client tools need them.
   */
  private static void hideOtherTenants(Connection admin, DSLContext dsl, String owner) {
    for (String view : ClusterCheck.ACTIVITY_VIEWS) {
      if (dsl.fetchValue("SELECT to_regclass(?)", "pg_catalog." + view) != null) {
        Sql.execFormatted(admin, "REVOKE SELECT ON pg_catalog.%I FROM PUBLIC", view);
      }
    }
    for (String f : dsl.fetch("SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace ="
        + " 'pg_catalog'::regnamespace AND (p.proname = 'pg_stat_get_activity' OR p.proname LIKE 'pg\\_stat\\_get\\_db\\_%'"
        + " OR p.proname LIKE 'pg\\_stat\\_get\\_backend\\_%' OR p.proname = 'pg_stat_get_progress_info')")
        .getValues(0, String.class)) {
      Sql.execFormatted(admin, "REVOKE EXECUTE ON FUNCTION " + f + " FROM PUBLIC");
    }
    grantActivity(admin, owner);
  }

  /** The engine finds calls whose engine session died by looking for that session. */
  private static void grantActivity(Connection admin, String owner) {
    Sql.execFormatted(admin, "GRANT SELECT ON pg_catalog.pg_stat_activity TO %I", owner);
    Sql.execFormatted(admin, "GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_get_activity(integer) TO %I", owner);
  }

  /**
   * Whether the database is already run by its owner role; false for a database made by an engine that did everything
   * as the superuser, which {@link #adopt} then moves over.
   */
  boolean isCurrent(Connection adminPostgres, String database, String tenantRole) {
    Object current = Sql.dsl(adminPostgres).fetchValue("SELECT r.oid = d.datdba FROM pg_database d"
        + " LEFT JOIN pg_roles r ON r.rolname = ? WHERE d.datname = ?", owner(tenantRole).user(), database);
    return Boolean.TRUE.equals(current);
  }

  /**
   * Moves a database made by an older engine (everything owned by the superuser) to its owner role, in place, and
   * applies this engine's settings: the owner role, ownership of every object the engine made, the fixed audit
   * trigger, the tenant's schema, connection limits and catalog privileges. Idempotent.
   */
  void adopt(AdminPowers.Superuser superuser, Connection adminPostgres, Connection adminDb, String database,
      String tenantRole) {
    Login owner = owner(tenantRole);
    try {
      createOwner(adminPostgres, owner);
    } catch (DataAccessException e) {
      if (!"42710".equals(e.sqlState())) { // duplicate_object: another engine, or an earlier try, made it
        throw e;
      }
      withGeneratedPassword(adminPostgres, "ALTER ROLE %I PASSWORD %L", owner.user(), owner.password());
    }
    Sql.execFormatted(adminPostgres, "ALTER ROLE %I CONNECTION LIMIT %s", tenantRole, tenantConnectionLimit);
    Sql.execFormatted(adminPostgres, "ALTER DATABASE %I OWNER TO %I", database, owner.user());
    DSLContext dsl = Sql.dsl(adminDb);
    String notExtensionMember = " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = o.oid AND d.deptype = 'e')";
    String engineSchemas = " IN ('public'::regnamespace, 'iasql_engine'::regnamespace)";
    if (dsl.fetchValue("SELECT to_regclass('public.iasql_audit_log')") != null) {
      // Older engines' audit trigger function let the caller's temporary types in (see PlatformModule), and its
      // ids could run out. Replaced before the ownership moves below, which then give it to the owner.
      Sql.script(adminDb, PlatformModule.AUDIT_FUNCTION);
      Sql.script(adminDb, "ALTER TABLE public.iasql_audit_log ALTER COLUMN id TYPE bigint");
      Sql.script(adminDb, "ALTER SEQUENCE public.iasql_audit_log_id_seq AS bigint");
      for (String seq : dsl.fetch("SELECT o.relname FROM pg_class o WHERE o.relkind = 'S' AND o.relnamespace ="
          + " 'public'::regnamespace AND o.relname LIKE 'iasql\\_%'").getValues(0, String.class)) {
        Sql.execFormatted(adminDb, "REVOKE ALL ON SEQUENCE public.%I FROM %I", seq, tenantRole);
      }
    }
    // Tables first: their owned sequences (serial, identity) follow them and cannot be moved alone.
    reown(adminDb, "ALTER TABLE %I.%I OWNER TO %I", owner.user(), "SELECT o.relname, o.relnamespace::regnamespace::text"
        + " FROM pg_class o WHERE o.relkind IN ('r', 'p', 'v', 'm') AND o.relowner <> ?::regrole AND o.relnamespace"
        + engineSchemas + notExtensionMember);
    reown(adminDb, "ALTER SEQUENCE %I.%I OWNER TO %I", owner.user(), "SELECT o.relname,"
        + " o.relnamespace::regnamespace::text FROM pg_class o WHERE o.relkind = 'S' AND o.relowner <> ?::regrole"
        + " AND o.relnamespace" + engineSchemas + notExtensionMember
        + " AND NOT EXISTS (SELECT 1 FROM pg_depend a WHERE a.objid = o.oid AND a.deptype IN ('a', 'i'))");
    reown(adminDb, "ALTER TYPE %I.%I OWNER TO %I", owner.user(), "SELECT o.typname, o.typnamespace::regnamespace::text"
        + " FROM pg_type o WHERE o.typtype IN ('e', 'd') AND o.typowner <> ?::regrole AND o.typnamespace"
        + engineSchemas + notExtensionMember);
    for (String f : dsl.fetch("SELECT o.oid::regprocedure::text FROM pg_proc o WHERE o.proowner <> ?::regrole"
        + " AND o.pronamespace" + engineSchemas + notExtensionMember, owner.user()).getValues(0, String.class)) {
      Sql.execFormatted(adminDb, "ALTER ROUTINE " + f + " OWNER TO %I", owner.user());
    }
    prepare(adminDb, tenantRole);
  }

  /**
   * Sets the owner role's password to the derived one: whatever changed it (a restored backup, an admin), the engine's
   * logins and the bridge's loopback use this one from now on.
   */
  void resetOwnerPassword(Connection adminPostgres, String tenantRole) {
    Login owner = owner(tenantRole);
    withGeneratedPassword(adminPostgres, "ALTER ROLE %I PASSWORD %L", owner.user(), owner.password());
  }

  /**
   * Runs {@code template}, which sets a password the engine generated (random, or derived from its secret), with that
   * password's SCRAM verifier made in one round where the server lets the engine choose (PostgreSQL 16+). The 4,096
   * rounds of the default slow down guessing a password a person chose; nobody guesses 128 random bits or more,
   * however few the rounds. Every login pays them, on the client's side, and a tenant's session logs in three times
   * (itself, then its bridge's loopback and ring): with 200 tenants logging in at once on two cores, the logins took
   * the machine. Measured on the embedded cluster here, a login took 26 ms with 4,096 rounds and 19 ms with one.
   */
  private static void withGeneratedPassword(Connection admin, String template, Object... args) {
    DSLContext dsl = Sql.dsl(admin);
    Object previous = dsl.fetchValue("SELECT current_setting('scram_iterations', true)");
    if (previous == null) {
      Sql.execFormatted(admin, template, args); // before PostgreSQL 16: the server's fixed 4,096
      return;
    }
    dsl.fetch("SELECT set_config('scram_iterations', '1', false)");
    try {
      Sql.execFormatted(admin, template, args);
    } finally {
      dsl.fetch("SELECT set_config('scram_iterations', ?, false)", previous.toString());
    }
  }

  /** Gives each (name, schema) the query finds (its one bind is the owner) to the owner with {@code alter}. */
  private static void reown(Connection adminDb, String alter, String owner, String query) {
    for (var r : Sql.dsl(adminDb).fetch(query, owner)) {
      Sql.execFormatted(adminDb, alter, r.get(1, String.class), r.get(0, String.class), owner);
    }
  }

  /** As the admin in a maintenance database: the database's roles, after the database is gone. */
  void dropRoles(Connection admin, String tenantRole) {
    Sql.execFormatted(admin, "DROP ROLE IF EXISTS %I", tenantRole);
    Sql.execFormatted(admin, "DROP ROLE IF EXISTS %I", owner(tenantRole).user());
    Sql.execFormatted(admin, "DROP ROLE IF EXISTS %I", ring(tenantRole).user());
  }
}
