package dev.iasql.engine.platform;

import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.sql.AdvisoryLocks;

import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.Module;
import dev.iasql.engine.spi.ModuleName;
import java.util.List;

/**
 * {@code iasql_platform}: the bookkeeping tables every database has. Column names follow IaSQL v0.0.20 so its SQL runs
 * unchanged; {@code iasql_operation} gains the columns the function bridge needs to queue calls.
 */
public final class PlatformModule implements Module {
  public static final ModuleName NAME = ModuleName.of("iasql_platform");

  /**
   * The operation log, which is also the bridge's request queue: a call is a row that the engine claims, runs and
   * completes. Shared with the metadata database, whose admin functions go through the same bridge.
   */
  public static final String OPERATION_TABLE =
      """
        CREATE TABLE IF NOT EXISTS public.iasql_operation (
          opid uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
          optype text NOT NULL,
          params text[] NOT NULL DEFAULT '{}',
          start_date timestamptz NOT NULL DEFAULT clock_timestamp(),
          end_date timestamptz,
          output jsonb,
          transient_output jsonb,
          err jsonb,
          status text NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'running', 'done', 'error', 'cancelling', 'cancelled', 'expired')),
          requested_by text NOT NULL DEFAULT session_user,
          progress jsonb NOT NULL DEFAULT '[]',
          engine_pid integer
        );
        CREATE INDEX IF NOT EXISTS iasql_operation_pending ON public.iasql_operation (id) WHERE status = 'pending';
      """;

  /**
   * Records who changed what, and through which operation. SECURITY DEFINER so the tenant needs no write access to
   * the log; session_user is the tenant's login even inside definer functions. The engine names the operation it runs
   * in its session's {@code iasql.operation_id} setting; only the database owner's sessions (the engine's) are
   * believed, since a tenant can set the same setting. Starts by adding the column, so that running this on a
   * database made before it existed (attach of an older database, the engine's first call there) brings it current. The trigger's arguments name secret columns (credentials), whose
   * values never reach the log. Its search_path ends with pg_temp and every name of ours is qualified: left out,
   * PostgreSQL searches the caller's temporary schema first for type names, and a temporary domain named like one of
   * ours would run the caller's code with this function's owner's rights.
   */
  public static final String AUDIT_FUNCTION =
      """
      ALTER TABLE public.iasql_audit_log ADD COLUMN IF NOT EXISTS operation_id uuid;
      CREATE OR REPLACE FUNCTION public.iasql_audit() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      DECLARE
        n pg_catalog.jsonb;
        o pg_catalog.jsonb;
        op pg_catalog.uuid;
        v pg_catalog.text;
      BEGIN
        IF TG_OP <> 'DELETE' THEN n := pg_catalog.to_jsonb(NEW.*); END IF;
        IF TG_OP <> 'INSERT' THEN o := pg_catalog.to_jsonb(OLD.*); END IF;
        FOR i IN 0 .. TG_NARGS - 1 LOOP
          IF n OPERATOR(pg_catalog.?) TG_ARGV[i] THEN
            n := pg_catalog.jsonb_set(n, ARRAY[TG_ARGV[i]], '"(redacted)"'::pg_catalog.jsonb);
          END IF;
          IF o OPERATOR(pg_catalog.?) TG_ARGV[i] THEN
            o := pg_catalog.jsonb_set(o, ARRAY[TG_ARGV[i]], '"(redacted)"'::pg_catalog.jsonb);
          END IF;
        END LOOP;
        IF session_user OPERATOR(pg_catalog.=) (SELECT pg_catalog.pg_get_userbyid(d.datdba)
                                                FROM pg_catalog.pg_database d
                                                WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database())
        THEN
          v := pg_catalog.current_setting('iasql.operation_id', true);
          IF v OPERATOR(pg_catalog.<>) '' THEN
            op := v::pg_catalog.uuid;
          END IF;
        END IF;
        INSERT INTO public.iasql_audit_log (ts, "user", table_name, change_type, change, operation_id)
        VALUES (pg_catalog.now(), session_user, TG_TABLE_NAME, TG_OP::public.iasql_audit_log_change_type_enum,
                pg_catalog.json_strip_nulls(pg_catalog.json_build_object('original', o, 'change', n)), op);
        RETURN NULL;
      END
      $$;
      """;

  @Override
  public ModuleName name() {
    return NAME;
  }

  @Override
  public String version() {
    return ReleaseCatalog.V0_0_20;
  }

  @Override
  public boolean platform() {
    return true;
  }

  @Override
  public List<String> migrations() {
    return List.of(
        OPERATION_TABLE,
        """
        CREATE TABLE iasql_module (name text PRIMARY KEY);
        CREATE TABLE iasql_tables (
          "table" text NOT NULL,
          module text NOT NULL REFERENCES iasql_module (name),
          PRIMARY KEY ("table", module)
        );
        CREATE TABLE iasql_dependencies (
          module text NOT NULL REFERENCES iasql_module (name) ON DELETE CASCADE ON UPDATE CASCADE,
          dependency text NOT NULL REFERENCES iasql_module (name) ON DELETE CASCADE ON UPDATE CASCADE,
          PRIMARY KEY (module, dependency)
        );
        CREATE INDEX ON iasql_dependencies (dependency);
        CREATE TYPE iasql_audit_log_change_type_enum AS ENUM ('INSERT', 'UPDATE', 'DELETE');
        CREATE TABLE iasql_audit_log (
          id bigserial PRIMARY KEY,
          ts timestamptz NOT NULL DEFAULT now(),
          "user" text NOT NULL,
          table_name text NOT NULL,
          change_type iasql_audit_log_change_type_enum NOT NULL,
          change json NOT NULL
        );
        -- For module SQL that writes state without the engine (default_aws_region(r)): the same refusal the
        -- guard gives while an upgrade lease is held on this database. It only looks at pg_locks, so it can
        -- never stand in the way of the upgrade taking its lease.
        CREATE FUNCTION iasql_refuse_while_upgrading() RETURNS void
        LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database
                     WHERE l.locktype = 'advisory' AND l.classid = @LEASE_CLASS@ AND l.objid = @LEASE_ID@
                       AND l.granted AND d.datname = current_database()) THEN
            RAISE EXCEPTION 'database "%" is being upgraded', current_database()
              USING ERRCODE = '@UPGRADE_IN_PROGRESS@', HINT = 'wait for iasql_upgrade() to finish';
          END IF;
        END
        $$;
        """.replace("@LEASE_CLASS@", Integer.toString(AdvisoryLocks.Key.UPGRADE_LEASE.classId()))
            .replace("@LEASE_ID@", Integer.toString(AdvisoryLocks.Key.UPGRADE_LEASE.objectId()))
            .replace("@UPGRADE_IN_PROGRESS@", ErrorCode.UPGRADE_IN_PROGRESS.sqlState()),
        AUDIT_FUNCTION);
  }
}
