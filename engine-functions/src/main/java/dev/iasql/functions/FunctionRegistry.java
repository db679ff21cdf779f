package dev.iasql.functions;

import dev.iasql.functions.SqlFunction.EngineCall;
import dev.iasql.functions.SqlFunction.PureSql;
import dev.iasql.functions.SqlFunction.Scope;
import java.util.List;

/** Every SQL function of the product, in the order iasql_help lists them. Names and columns follow IaSQL v0.0.20. */
final class FunctionRegistry {
  static final List<SqlFunction> ALL =
      List.of(
          new SqlFunction(Scope.USER_DATABASE, "iasql_install", "VARIADIC _mods text[]",
              "module_name character varying, created_table_name character varying, record_count integer",
              "install", "iasql_install(variadic text[])",
              "Install modules, and the modules they depend on, in the hosted db",
              "SELECT * FROM iasql_install('aws_vpc', 'aws_security_group')",
              new EngineCall("install", "_mods")),
          new SqlFunction(Scope.USER_DATABASE, "iasql_uninstall", "VARIADIC _mods text[]",
              "module_name character varying, dropped_table_name character varying, record_count integer",
              "uninstall", "iasql_uninstall(variadic text[])",
              "Uninstall modules in the hosted db; refused while an installed module depends on them",
              "SELECT * FROM iasql_uninstall('aws_security_group')",
              new EngineCall("uninstall", "_mods")),
          new SqlFunction(Scope.USER_DATABASE, "iasql_modules_list", "",
              "module_name text, module_version text, dependencies text[]",
              "modules_list", "iasql_modules_list()", "Lists all modules available to be installed",
              "SELECT * FROM iasql_modules_list()",
              new EngineCall("modules_list", "ARRAY[]::text[]")),
          new SqlFunction(Scope.USER_DATABASE, "iasql_modules_installed", "",
              "module_name text, module_version text, dependencies character varying[]",
              "modules_installed", "iasql_modules_installed()",
              "Lists all modules currently installed in the hosted db",
              "SELECT * FROM iasql_modules_installed()",
              new PureSql("""
                  SELECT split_part(m.name, '@', 1), split_part(m.name, '@', 2),
                         ARRAY(SELECT split_part(d.dependency, '@', 1)::varchar FROM public.iasql_dependencies d
                               WHERE d.module = m.name ORDER BY d.dependency)
                  FROM public.iasql_module m ORDER BY m.name
                  """)),
          new SqlFunction(Scope.USER_DATABASE, "iasql_version", "", "version text",
              "version", "iasql_version()", "Lists the currently installed IaSQL Platform version",
              "SELECT * FROM iasql_version()",
              new PureSql("""
                  SELECT split_part(m.name, '@', 2) FROM public.iasql_module m
                  WHERE split_part(m.name, '@', 1) = 'iasql_platform'
                  """)),
          new SqlFunction(Scope.USER_DATABASE, "iasql_help", "",
              "name text, signature text, description text, sample_usage text",
              "help", "iasql_help()", "Lists every IaSQL function with a sample", "SELECT * FROM iasql_help()",
              new PureSql(BridgeSql.HELP_PLACEHOLDER)),
          new SqlFunction(Scope.METADATA, "iasql_connect", "_name text",
              "name text, pg_user text, pg_password text, connection_url text",
              "connect", "iasql_connect(text)",
              "Creates an IaSQL database with its own login role; the password is shown once",
              "SELECT * FROM iasql_connect('prod')",
              new EngineCall("connect", "ARRAY[_name]")),
          new SqlFunction(Scope.METADATA, "iasql_disconnect", "_name text", "name text",
              "disconnect", "iasql_disconnect(text)", "Drops an IaSQL database and its login role",
              "SELECT * FROM iasql_disconnect('prod')",
              new EngineCall("disconnect", "ARRAY[_name]")),
          new SqlFunction(Scope.METADATA, "iasql_db_list", "",
              "name text, pg_user text, release text, upgrade_state text, created_at timestamptz",
              "db_list", "iasql_db_list()", "Lists the IaSQL databases of this cluster",
              "SELECT * FROM iasql_db_list()",
              new EngineCall("db_list", "ARRAY[]::text[]")));

  private FunctionRegistry() {}

  static List<SqlFunction> in(Scope scope) {
    return ALL.stream().filter(f -> f.scope() == scope).toList();
  }
}
