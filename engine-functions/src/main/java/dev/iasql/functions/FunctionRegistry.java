package dev.iasql.functions;

import dev.iasql.engine.operation.OperationType;
import dev.iasql.engine.spi.Module;
import dev.iasql.engine.spi.ModuleName;
import dev.iasql.engine.spi.Rpc;
import dev.iasql.functions.SqlFunction.EngineCall;
import dev.iasql.functions.SqlFunction.PureSql;
import dev.iasql.functions.SqlFunction.Scope;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every SQL function of the product, in the order iasql_help lists them. Names and columns follow IaSQL v0.0.20; an
 * engine call's operation is the optype its row in iasql_operation gets (IaSQL's values, see {@link
 * dev.iasql.engine.operation.OperationType}).
 */
final class FunctionRegistry {
  static final List<SqlFunction> ALL =
      List.of(
          new SqlFunction(Scope.USER_DATABASE, "iasql_install", "VARIADIC _mods text[]",
              Results.Installed.class,
              "install", "iasql_install(variadic text[])",
              "Install modules, and the modules they depend on, in the hosted db",
              "SELECT * FROM iasql_install('aws_vpc', 'aws_security_group')",
              new EngineCall("INSTALL", "_mods")),
          new SqlFunction(Scope.USER_DATABASE, "iasql_uninstall", "VARIADIC _mods text[]",
              Results.Uninstalled.class,
              "uninstall", "iasql_uninstall(variadic text[])",
              "Uninstall modules in the hosted db; refused while an installed module depends on them",
              "SELECT * FROM iasql_uninstall('aws_security_group')",
              new EngineCall("UNINSTALL", "_mods")),
          new SqlFunction(Scope.USER_DATABASE, "iasql_apply", "", Results.Changed.class,
              "apply", "iasql_apply()", "Create, delete or update the cloud resources in the hosted db",
              "SELECT * FROM iasql_apply()",
              new EngineCall("APPLY", "ARRAY[]::text[]")),
          new SqlFunction(Scope.USER_DATABASE, "iasql_preview_apply", "", Results.Changed.class,
              "preview_apply", "iasql_preview_apply()",
              "Preview of the resources in the db to be modified on the next `apply`",
              "SELECT * FROM iasql_preview_apply()",
              new EngineCall("PLAN_APPLY", "ARRAY[]::text[]")),
          new SqlFunction(Scope.USER_DATABASE, "iasql_sync", "", Results.Changed.class,
              "sync", "iasql_sync()", "Synchronize the hosted db with the current state of the cloud account",
              "SELECT * FROM iasql_sync()",
              new EngineCall("SYNC", "ARRAY[]::text[]")),
          new SqlFunction(Scope.USER_DATABASE, "iasql_preview_sync", "", Results.Changed.class,
              "preview_sync", "iasql_preview_sync()",
              "Preview of the rows in the db to be modified on the next `sync`",
              "SELECT * FROM iasql_preview_sync()",
              new EngineCall("PLAN_SYNC", "ARRAY[]::text[]")),
          new SqlFunction(Scope.USER_DATABASE, "delete_all_records", "", "",
              "delete_all_records", "delete_all_records()",
              "Deletes every row of every module table but credentials and regions; defaults AWS owns come back"
                  + " at the next apply",
              "SELECT delete_all_records()",
              new EngineCall("DELETE_ALL_RECORDS", "ARRAY[]::text[]")),
          new SqlFunction(Scope.USER_DATABASE, "iasql_upgrade", "", "text",
              "upgrade", "iasql_upgrade()",
              "Upgrades the db to the latest release in place, keeping every row; blocks until done, with progress",
              "SELECT iasql_upgrade()",
              new EngineCall("UPGRADE", "ARRAY[]::text[]")),
          new SqlFunction(Scope.USER_DATABASE, "iasql_modules_list", "",
              Results.Available.class,
              "modules_list", "iasql_modules_list()", "Lists all modules available to be installed",
              "SELECT * FROM iasql_modules_list()",
              new EngineCall("LIST", "ARRAY[]::text[]")),
          new SqlFunction(Scope.USER_DATABASE, "iasql_modules_installed", "",
              Results.InstalledModule.class,
              "modules_installed", "iasql_modules_installed()",
              "Lists all modules currently installed in the hosted db",
              "SELECT * FROM iasql_modules_installed()",
              new PureSql("""
                  SELECT split_part(m.name, '@', 1), split_part(m.name, '@', 2),
                         ARRAY(SELECT d.dependency::varchar FROM public.iasql_dependencies d
                               WHERE d.module = m.name ORDER BY d.dependency)
                  FROM public.iasql_module m ORDER BY m.name
                  """)),
          new SqlFunction(Scope.USER_DATABASE, "iasql_version", "", Results.Version.class,
              "version", "iasql_version()", "Lists the currently installed IaSQL Platform version",
              "SELECT * FROM iasql_version()",
              new PureSql("""
                  SELECT split_part(m.name, '@', 2) FROM public.iasql_module m
                  WHERE split_part(m.name, '@', 1) = 'iasql_platform'
                  """)),
          new SqlFunction(Scope.USER_DATABASE, "iasql_help", "",
              Results.Help.class,
              "help", "iasql_help()", "Lists every IaSQL function with a sample", "SELECT * FROM iasql_help()",
              new PureSql(BridgeSql.HELP_PLACEHOLDER)),
          new SqlFunction(Scope.METADATA, "iasql_connect", "_name text, _release text DEFAULT NULL",
              Results.Connected.class,
              "connect", "iasql_connect(text, text)",
              "Creates an IaSQL database with its own login role, at the latest release or at the one given; the"
                  + " password is shown once",
              "SELECT * FROM iasql_connect('prod')",
              new EngineCall("CONNECT", "ARRAY[_name] || array_remove(ARRAY[_release], NULL)")),
          new SqlFunction(Scope.METADATA, "iasql_disconnect", "_name text", Results.Disconnected.class,
              "disconnect", "iasql_disconnect(text)", "Drops an IaSQL database and its login role",
              "SELECT * FROM iasql_disconnect('prod')",
              new EngineCall("DISCONNECT", "ARRAY[_name]")),
          new SqlFunction(Scope.METADATA, "iasql_db_list", "",
              Results.Database.class,
              "db_list", "iasql_db_list()", "Lists the IaSQL databases of this cluster",
              "SELECT * FROM iasql_db_list()",
              new EngineCall("DB_LIST", "ARRAY[]::text[]")));

  private FunctionRegistry() {}

  /**
   * A module's RPC as a function of its database: engine-backed like the platform's, its arguments {@code text} and
   * bound (an absent or NULL one reaches the handler as empty), its columns from its result record.
   */
  static SqlFunction rpc(ModuleName module, Rpc<?> rpc) {
    String parameters = rpc.arguments().stream()
        .map(a -> "_" + a.name() + " text" + (a.required() ? "" : " DEFAULT NULL"))
        .collect(Collectors.joining(", "));
    String params = rpc.arguments().stream().map(a -> ", coalesce(_" + a.name() + ", '')")
        .collect(Collectors.joining("", "ARRAY[" + BridgeSql.literal(module.value()) + ", "
            + BridgeSql.literal(rpc.name()), "]"));
    String signature = rpc.name() + "(" + rpc.arguments().stream().map(a -> "text").collect(Collectors.joining(", "))
        + ")";
    return new SqlFunction(Scope.USER_DATABASE, rpc.name(), parameters, rpc.result(), rpc.name(), signature,
        rpc.description(), "SELECT * FROM " + rpc.name() + "(…)", new EngineCall(OperationType.RPC.name(), params));
  }

  /** What the bridge adds to a module's install: its RPCs, each with its description as a comment iasql_help lists. */
  static List<String> installSql(Module module) {
    return module.rpcs().stream().map(r -> rpc(module.name(), r)).map(f -> BridgeSql.function(f)
        + "COMMENT ON FUNCTION public." + f.helpSignature() + " IS " + BridgeSql.literal(f.description()) + ";\n")
        .toList();
  }

  /** What the bridge runs at a module's uninstall: drops its RPCs. */
  static List<String> uninstallSql(Module module) {
    return module.rpcs().stream().map(r -> "DROP FUNCTION IF EXISTS public." + rpc(module.name(), r).helpSignature()
        + ";").toList();
  }

  static List<SqlFunction> in(Scope scope) {
    return ALL.stream().filter(f -> f.scope() == scope).toList();
  }
}
