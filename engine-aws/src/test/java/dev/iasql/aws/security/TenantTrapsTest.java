package dev.iasql.aws.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import dev.iasql.testkit.TestDatabases;
import dev.iasql.engine.release.ReleaseCatalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A hostile tenant plants every trap it can for the engine (functions, operators, types and tables shadowing ours in
 * its temporary schema and in its own schema, which is first on its search_path; triggers, rules and defaults on its
 * own tables; a view named like a module table), then uses the engine as usual on the same session. The engine's work
 * neither runs any of it with rights the tenant lacks nor breaks. Each trap logs who ran it; the tenant running its own
 * code in its own session is fine, anyone else is not.
 */
@ExtendWith(IasqlExtension.class)
class TenantTrapsTest {

  @Test
  void planted_traps_never_run_as_the_engine_and_every_operation_still_works(TestDatabase db) throws SQLException {
    Moto.Keys keys = Moto.start().account();
    String tenant = db.created().pgUser();
    try (Connection c = db.tenant()) {
      plantTraps(c, tenant);

      Sql.rows(c, "SELECT * FROM iasql_install('aws_account')");
      Sql.exec(c, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
          keys.accessKeyId(), keys.secretAccessKey());
      Sql.rows(c, "SELECT * FROM iasql_install('aws_security_group')");
      // A view named like a module table, in the tenant's schema: it shadows the table for the tenant only.
      Sql.exec(c, "CREATE VIEW security_group AS SELECT * FROM public.security_group WHERE trap('view')");
      Sql.rows(c, "SELECT * FROM iasql_apply()"); // settle what earlier tests left in this account
      String name = "trap-" + UUID.randomUUID();
      Sql.exec(c, "INSERT INTO public.security_group (description, group_name) VALUES ('trapped', ?)", name);
      assertThat(Sql.rows(c, "SELECT * FROM iasql_preview_apply()")).extracting(r -> r.get("action"),
          r -> r.get("table_name")).contains(tuple("create", "security_group"));
      Sql.rows(c, "SELECT * FROM iasql_apply()");
      assertThat(Sql.value(c, "SELECT group_id FROM public.security_group WHERE group_name = ?", name)).asString()
          .startsWith("sg-");
      Sql.rows(c, "SELECT * FROM iasql_preview_sync()");
      Sql.rows(c, "SELECT * FROM iasql_sync()");
      Sql.rows(c, "SELECT * FROM iasql_modules_list()");
      Sql.rows(c, "SELECT * FROM iasql_modules_installed()");
      Sql.rows(c, "SELECT * FROM iasql_version()");
      Sql.rows(c, "SELECT * FROM iasql_help()");
      Sql.rows(c, "SELECT default_aws_region('us-east-1')");
      Sql.rows(c, "SELECT delete_all_records()");
      Sql.rows(c, "SELECT * FROM iasql_apply()");
      assertThat(Sql.value(c, "SELECT count(*) FROM public.security_group WHERE group_name = ?", name))
          .as("delete_all_records and apply deleted the group").isEqualTo(0L);
      Sql.exec(c, "DROP VIEW security_group");
      assertThat(Sql.rows(c, "SELECT * FROM iasql_uninstall('aws_security_group')")).isNotEmpty();
      Sql.rows(c, "SELECT * FROM iasql_install('aws_security_group')");

      Sql.exec(c, "INSERT INTO mine DEFAULT VALUES");
      assertThat(Sql.rows(c, "SELECT what FROM trap_log WHERE who = current_user")).as("control: the traps work")
          .extracting(r -> r.get("what")).contains("trigger", "default");
      List<?> ranAsSomeoneElse = Sql.rows(c, "SELECT who, what FROM trap_log WHERE who <> current_user");
      assertThat(ranAsSomeoneElse).as("traps that ran with rights other than the tenant's own").isEmpty();
      try (Connection admin = db.admin()) {
        assertThat(Sql.value(admin, "SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = ?",
            tenant)).isEqualTo(false);
      }
    }
  }

  /** The upgrade runs module SQL and the engine's own on a database full of the tenant's traps. */
  @Test
  void planted_traps_never_run_during_an_upgrade(TestDatabases dbs) throws SQLException {
    Moto.Keys keys = Moto.start().account();
    TestDatabase db = dbs.createAt(ReleaseCatalog.V0_0_18);
    try (Connection c = db.tenant()) {
      Sql.rows(c, "SELECT * FROM iasql_install('aws_account')");
      Sql.exec(c, "INSERT INTO aws_account (access_key_id, secret_access_key, region) VALUES (?, ?, 'us-east-1')",
          keys.accessKeyId(), keys.secretAccessKey());
      plantTraps(c, db.created().pgUser());
      Sql.exec(c, "CREATE TABLE aws_credentials_notes (note text)");
      assertThat((String) Sql.value(c, "SELECT iasql_upgrade()")).contains("upgraded from release 0.0.18");
      assertThat(Sql.value(c, "SELECT * FROM iasql_version()")).isEqualTo(ReleaseCatalog.standard().latest());
      assertThat(Sql.value(c, "SELECT count(*) FROM public.aws_credentials")).isEqualTo(1L);
      assertThat(Sql.rows(c, "SELECT who, what FROM trap_log WHERE who <> current_user"))
          .as("traps that ran with rights other than the tenant's own").isEmpty();
    }
  }

  /** A log every trap writes to, the trap function, then the traps themselves. */
  private static void plantTraps(Connection c, String tenant) throws SQLException {
    String own = quote(c, tenant);
    Sql.exec(c, "CREATE TABLE trap_log (who text, what text)");
    Sql.exec(c, "GRANT USAGE ON SCHEMA " + own + " TO PUBLIC");
    Sql.exec(c, "GRANT INSERT ON trap_log TO PUBLIC");
    Sql.exec(c, "CREATE FUNCTION trap(what text) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN"
        + " INSERT INTO " + own + ".trap_log VALUES (current_user, what); RETURN true; END $$");
    List<String> traps = List.of(
        // Types and tables the engine's functions name, shadowed in the caller's temporary schema.
        "CREATE DOMAIN pg_temp.iasql_audit_log_change_type_enum AS public.iasql_audit_log_change_type_enum"
            + " CHECK (" + own + ".trap('temp enum domain'))",
        "CREATE DOMAIN pg_temp.jsonb AS pg_catalog.jsonb CHECK (" + own + ".trap('temp jsonb'))",
        "CREATE DOMAIN pg_temp.json AS pg_catalog.json CHECK (" + own + ".trap('temp json'))",
        "CREATE DOMAIN pg_temp.text AS pg_catalog.text CHECK (" + own + ".trap('temp text'))",
        "CREATE TEMP TABLE iasql_operation (id bigint, status text)",
        "CREATE TEMP TABLE iasql_audit_log (id bigint)",
        "CREATE TEMP TABLE config (conninfo text)",
        "CREATE TEMP VIEW pg_locks AS SELECT * FROM pg_catalog.pg_locks WHERE " + own + ".trap('temp pg_locks')",
        "CREATE TEMP VIEW aws_regions AS SELECT 'x'::text AS region WHERE " + own + ".trap('temp aws_regions')",
        "CREATE FUNCTION pg_temp.now() RETURNS timestamptz LANGUAGE sql AS"
            + " 'SELECT pg_catalog.now() WHERE " + own.replace("'", "''") + ".trap(''temp now'')'",
        // Functions and operators that would beat pg_catalog's on an exact type match, in the tenant's schema.
        "CREATE FUNCTION lower(character varying) RETURNS text LANGUAGE sql AS"
            + " 'SELECT pg_catalog.lower($1::text) WHERE " + own.replace("'", "''") + ".trap(''lower'')'",
        "CREATE FUNCTION length(character varying) RETURNS integer LANGUAGE sql AS"
            + " 'SELECT pg_catalog.length($1::text) WHERE " + own.replace("'", "''") + ".trap(''length'')'",
        "CREATE FUNCTION varchar_eq_trap(character varying, character varying) RETURNS boolean LANGUAGE sql AS"
            + " 'SELECT $1::text OPERATOR(pg_catalog.=) $2::text AND " + own.replace("'", "''")
            + ".trap(''varchar ='')'",
        "CREATE OPERATOR = (LEFTARG = character varying, RIGHTARG = character varying,"
            + " FUNCTION = varchar_eq_trap)",
        "CREATE FUNCTION int_eq_trap(integer, integer) RETURNS boolean LANGUAGE sql AS"
            + " 'SELECT $1 OPERATOR(pg_catalog.=) $2 AND " + own.replace("'", "''") + ".trap(''int ='')'",
        "CREATE OPERATOR = (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int_eq_trap)",
        "CREATE FUNCTION pg_advisory_lock(integer, integer) RETURNS void LANGUAGE sql AS"
            + " 'SELECT WHERE " + own.replace("'", "''") + ".trap(''advisory lock'')'",
        "CREATE FUNCTION dblink_connect(text, text) RETURNS text LANGUAGE sql AS"
            + " 'SELECT ''OK'' WHERE " + own.replace("'", "''") + ".trap(''dblink_connect'')'",
        "CREATE FUNCTION default_aws_region() RETURNS character varying LANGUAGE sql AS"
            + " 'SELECT ''us-east-1''::varchar WHERE " + own.replace("'", "''") + ".trap(''default region'')'",
        "CREATE FUNCTION iasql_audit() RETURNS trigger LANGUAGE plpgsql AS"
            + " 'BEGIN PERFORM " + own.replace("'", "''") + ".trap(''iasql_audit''); RETURN NULL; END'",
        // The tenant's own tables with triggers, rules and defaults: the engine never touches them.
        "CREATE TABLE mine (id serial PRIMARY KEY, v text DEFAULT (CASE WHEN " + own + ".trap('default') THEN"
            + " 'x' END))",
        "CREATE FUNCTION mine_trigger() RETURNS trigger LANGUAGE plpgsql AS"
            + " 'BEGIN PERFORM " + own.replace("'", "''") + ".trap(''trigger''); RETURN NEW; END'",
        "CREATE TRIGGER mine_t BEFORE INSERT ON mine FOR EACH ROW EXECUTE FUNCTION mine_trigger()",
        "CREATE RULE mine_r AS ON UPDATE TO mine DO ALSO SELECT " + own + ".trap('rule')");
    for (String trap : traps) {
      Sql.exec(c, trap);
    }
  }

  private static String quote(Connection c, String identifier) throws SQLException {
    return (String) Sql.value(c, "SELECT quote_ident(?)", identifier);
  }
}
