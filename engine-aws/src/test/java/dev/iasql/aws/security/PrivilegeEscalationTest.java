package dev.iasql.aws.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.aws.vpc.AwsTestDb;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The security review's critical finding, replayed as the tenant: code the tenant plants in its temporary schema must
 * never run with the engine's rights, and whatever runs with the engine's rights inside a user database must not be
 * the cluster's superuser.
 */
@ExtendWith(IasqlExtension.class)
class PrivilegeEscalationTest {
  /** A function the tenant (first bind) or the database's owner role (the tenant's name and _owner) may call. */
  private static final String REACHABLE = " (has_function_privilege(?::text, p.oid, 'EXECUTE')"
      + " OR has_function_privilege(?::text || '_owner', p.oid, 'EXECUTE'))";

  /**
   * The audit trigger is a SECURITY DEFINER function. With {@code pg_temp} missing from its search_path, PostgreSQL
   * looked in the caller's temporary schema first for its type names, so a temporary domain whose CHECK calls the
   * tenant's function ran that function as the trigger's owner, which was the superuser.
   */
  @Test
  void aTemporaryDomainDoesNotHijackTheAuditTrigger(TestDatabase db) throws SQLException {
    try (Connection c = db.tenant()) {
      AwsTestDb.installAwsAccount(c);
      String self = (String) Sql.value(c, "SELECT current_user");
      try {
        Sql.exec(c, "CREATE FUNCTION pg_temp.pwn() RETURNS boolean LANGUAGE plpgsql AS $$"
            + " BEGIN EXECUTE format('ALTER ROLE %I SUPERUSER', session_user); RETURN true;"
            + " EXCEPTION WHEN insufficient_privilege THEN RETURN true; END $$");
        Sql.exec(c, "CREATE DOMAIN pg_temp.iasql_audit_log_change_type_enum AS"
            + " public.iasql_audit_log_change_type_enum CHECK (pg_temp.pwn())");
        Sql.exec(c, "CREATE DOMAIN pg_temp.jsonb AS pg_catalog.jsonb CHECK (pg_temp.pwn())");
        Sql.exec(c, "CREATE DOMAIN pg_temp.json AS pg_catalog.json CHECK (pg_temp.pwn())");
        Sql.exec(c, "INSERT INTO aws_regions (region) VALUES ('x-trap-1')");
        assertThat(Sql.value(c, "SELECT count(*) FROM iasql_audit_log WHERE table_name = 'aws_regions'"))
            .as("the insert was audited all the same").isEqualTo(1L);
      } finally {
        try (Connection admin = db.admin()) {
          boolean superuser = (Boolean) Sql.value(admin, "SELECT rolsuper FROM pg_roles WHERE rolname = ?", self);
          if (superuser) {
            Sql.exec(admin, (String) Sql.value(admin, "SELECT format('ALTER ROLE %I NOSUPERUSER', ?::text)", self));
          }
          assertThat(superuser).as("tenant %s became superuser through the audit trigger", self).isFalse();
        }
      }
    }
  }

  /** Defence in depth: the definer functions and triggers of a user database are not owned by a superuser. */
  @Test
  void noFunctionInAUserDatabaseRunsAsASuperuser(TestDatabase db) throws SQLException {
    try (Connection c = db.tenant()) {
      AwsTestDb.installAwsAccount(c);
    }
    try (Connection admin = db.admin()) {
      assertThat(Sql.rows(admin, "SELECT p.oid::regprocedure::text AS fn, r.rolname AS owner FROM pg_proc p"
          + " JOIN pg_roles r ON r.oid = p.proowner WHERE p.prosecdef AND r.rolsuper AND" + REACHABLE,
          db.created().pgUser(), db.created().pgUser()))
          .as("SECURITY DEFINER functions owned by a superuser that the tenant or the engine can call").isEmpty();
      assertThat(Sql.rows(admin, "SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'iasql_engine')"
          + " AND c.relkind IN ('r', 'p', 'v', 'm')"
          + " AND r.rolsuper")).as("tables owned by a superuser (their triggers and defaults run as the owner)")
          .isEmpty();
      assertThat(Sql.value(admin, "SELECT r.rolsuper FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba"
          + " WHERE d.datname = current_database()")).as("the database's owner is a superuser").isEqualTo(false);
    }
  }

  /**
   * Every SECURITY DEFINER function pins a search_path that ends in pg_temp (or qualifies everything and names only
   * pg_catalog and pg_temp): anything else lets the caller's temporary objects in.
   */
  @Test
  void everyDefinerFunctionPinsASafeSearchPath(TestDatabase db) throws SQLException {
    try (Connection c = db.tenant()) {
      AwsTestDb.installAwsAccount(c);
    }
    try (Connection admin = db.admin()) {
      var unsafe = Sql.rows(admin, "SELECT p.oid::regprocedure::text AS fn, p.proconfig::text AS config"
          + " FROM pg_proc p WHERE p.prosecdef AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) s"
          + " WHERE s ~ '^search_path=.*pg_temp$') AND" + REACHABLE, db.created().pgUser(), db.created().pgUser());
      assertThat(unsafe).as("definer functions without a search_path ending in pg_temp").isEmpty();
      assertThat(Sql.value(admin, "SELECT count(*) FROM pg_proc WHERE prosecdef")).as("there are definer functions")
          .isNotEqualTo(0L);
    }
  }
}
