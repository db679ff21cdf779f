package dev.iasql.aws.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.aws.vpc.AwsTestDb;
import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A database made by an older engine, which did everything as the superuser (and installed the audit trigger that let
 * a tenant in), is moved to its owner role when an engine attaches it, keeping every row.
 */
@ExtendWith(IasqlExtension.class)
class OlderDatabaseAdoptionTest {

  @Test
  void anAttachingEngineMovesAnOlderDatabaseToItsOwnerRoleAndClosesTheHole(TestDatabase db, PostgresCluster cluster)
      throws SQLException {
    String tenant = db.created().pgUser();
    try (Connection c = db.tenant()) {
      AwsTestDb.installAwsAccount(c);
      Sql.exec(c, "INSERT INTO aws_regions (region) VALUES ('eu-west-1')");
    }
    try (Connection admin = db.admin()) {
      // What an older engine left: everything the superuser's, the old audit function, no connection limit. The
      // function below is unsafe on purpose (its search_path lacks pg_temp): it is the hole the adoption must close,
      // and the tenant's exploit further down proves it closed.
      Sql.exec(admin, format(admin, "REASSIGN OWNED BY %I TO %I", tenant + "_owner", cluster.adminUser()));
      Sql.exec(admin, "CREATE OR REPLACE FUNCTION public.iasql_audit() RETURNS trigger LANGUAGE plpgsql"
          + " SECURITY DEFINER SET search_path = pg_catalog, public AS $$ BEGIN"
          + " INSERT INTO public.iasql_audit_log (ts, \"user\", table_name, change_type, change) VALUES (now(),"
          + " session_user, TG_TABLE_NAME, TG_OP::iasql_audit_log_change_type_enum, '{}'); RETURN NULL; END $$");
      Sql.exec(admin, "ALTER TABLE public.iasql_audit_log ALTER COLUMN id TYPE integer");
      Sql.exec(admin, format(admin, "GRANT USAGE ON SEQUENCE public.iasql_audit_log_id_seq TO %I", tenant));
      Sql.exec(admin, format(admin, "ALTER ROLE %I CONNECTION LIMIT -1", tenant));
      assertThat(Sql.value(admin, "SELECT r.rolsuper FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba"
          + " WHERE d.datname = current_database()")).as("the set-up made it an older database").isEqualTo(true);
    }

    try (Engine attaching = Engine.configure().postgres(cluster).discoverExtensions(false)
        .build()) {
      assertThat(attaching.attachedDatabases()).contains(db.name());
    }

    try (Connection admin = db.admin()) {
      assertThat(Sql.value(admin, "SELECT r.rolname::text FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba"
          + " WHERE d.datname = current_database()")).isEqualTo(tenant + "_owner");
      assertThat(Sql.rows(admin, "SELECT p.proname FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner"
          + " WHERE r.rolsuper AND p.pronamespace = 'public'::regnamespace")).as("functions still the superuser's")
          .isEmpty();
      assertThat(Sql.rows(admin, "SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner"
          + " WHERE r.rolsuper AND c.relnamespace = 'public'::regnamespace")).as("relations still the superuser's")
          .isEmpty();
      assertThat(Sql.value(admin, "SELECT rolconnlimit FROM pg_roles WHERE rolname = ?", tenant))
          .isEqualTo(Engine.DEFAULT_TENANT_CONNECTION_LIMIT);
      assertThat(Sql.value(admin, "SELECT data_type::text FROM information_schema.columns WHERE table_name ="
          + " 'iasql_audit_log' AND column_name = 'id'")).isEqualTo("bigint");
    }
    try (Connection c = db.tenant()) {
      assertThat(Sql.value(c, "SELECT count(*) FROM aws_regions")).as("rows are kept").isEqualTo(1L);
      assertThat(Sql.failure(c, "SELECT nextval('iasql_audit_log_id_seq')").getSQLState()).isEqualTo("42501");
      Sql.exec(c, "CREATE FUNCTION pg_temp.pwn() RETURNS boolean LANGUAGE plpgsql AS $$"
          + " BEGIN EXECUTE format('ALTER ROLE %I SUPERUSER', session_user); RETURN true;"
          + " EXCEPTION WHEN insufficient_privilege THEN RETURN true; END $$");
      Sql.exec(c, "CREATE DOMAIN pg_temp.iasql_audit_log_change_type_enum AS"
          + " public.iasql_audit_log_change_type_enum CHECK (pg_temp.pwn())");
      Sql.exec(c, "INSERT INTO aws_regions (region) VALUES ('x-after-adoption')");
      assertThat(Sql.value(c, "SELECT count(*) FROM iasql_audit_log WHERE change->'change'->>'region' ="
          + " 'x-after-adoption'")).as("the new audit function wrote the row").isEqualTo(1L);
    } finally {
      try (Connection admin = db.admin()) {
        boolean superuser = (Boolean) Sql.value(admin, "SELECT rolsuper FROM pg_roles WHERE rolname = ?", tenant);
        if (superuser) {
          Sql.exec(admin, format(admin, "ALTER ROLE %I NOSUPERUSER", tenant));
        }
        assertThat(superuser).as("the tenant became superuser after the adoption").isFalse();
      }
    }
  }

  private static String format(Connection c, String template, String... args) throws SQLException {
    StringBuilder call = new StringBuilder("SELECT format(?");
    for (int i = 0; i < args.length; i++) {
      call.append(", ?::text");
    }
    Object[] binds = new Object[args.length + 1];
    binds[0] = template;
    System.arraycopy(args, 0, binds, 1, args.length);
    return (String) Sql.value(c, call.append(')').toString(), binds);
  }
}
