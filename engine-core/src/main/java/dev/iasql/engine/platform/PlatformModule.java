package dev.iasql.engine.platform;

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
          id serial PRIMARY KEY,
          ts timestamptz NOT NULL DEFAULT now(),
          "user" text NOT NULL,
          table_name text NOT NULL,
          change_type iasql_audit_log_change_type_enum NOT NULL,
          change json NOT NULL
        );
        -- Records who changed what. SECURITY DEFINER so the tenant needs no write access to the log;
        -- session_user is the tenant's login even inside definer functions.
        CREATE FUNCTION iasql_audit() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            INSERT INTO public.iasql_audit_log (ts, "user", table_name, change_type, change)
            VALUES (now(), session_user, TG_TABLE_NAME, 'INSERT', json_build_object('change', to_json(NEW.*)));
          ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO public.iasql_audit_log (ts, "user", table_name, change_type, change)
            VALUES (now(), session_user, TG_TABLE_NAME, 'DELETE', json_build_object('original', to_json(OLD.*)));
          ELSE
            INSERT INTO public.iasql_audit_log (ts, "user", table_name, change_type, change)
            VALUES (now(), session_user, TG_TABLE_NAME, 'UPDATE',
                    json_build_object('original', to_json(OLD.*), 'change', to_json(NEW.*)));
          END IF;
          RETURN NULL;
        END
        $$;
        """);
  }
}
