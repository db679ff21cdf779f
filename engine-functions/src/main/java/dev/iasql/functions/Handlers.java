package dev.iasql.functions;

import dev.iasql.engine.Change;
import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.DatabaseName;
import dev.iasql.engine.InstallResult;
import dev.iasql.engine.ModuleTable;
import dev.iasql.engine.UninstallResult;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.guard.Permit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The engine-backed operations, by the operation name the SQL side sends. */
final class Handlers {
  private Handlers() {}

  static final Map<String, Handler> USER_DATABASE =
      Map.of(
          "install", Handlers::install,
          "uninstall", Handlers::uninstall,
          "modules_list", Handlers::modulesList,
          "apply", r -> changes(r.engine().apply(permit(r), r.call())),
          "preview_apply", r -> changes(r.engine().previewApply(permit(r), r.call())),
          "sync", r -> changes(r.engine().sync(permit(r), r.call())),
          "preview_sync", r -> changes(r.engine().previewSync(permit(r), r.call())),
          "upgrade", r -> Handler.Result.of(List.of(row(BridgeSql.SCALAR,
              r.engine().upgrade(DatabaseName.of(r.database()), r.call()).message()))),
          "delete_all_records", r -> {
            r.engine().deleteAllRecords(permit(r), r.call());
            return Handler.Result.of(List.of());
          });

  static final Map<String, Handler> METADATA =
      Map.of(
          "connect", Handlers::connect,
          "disconnect", Handlers::disconnect,
          "db_list", Handlers::dbList);

  private static Permit permit(Handler.Request r) {
    return r.engine().permit(DatabaseName.of(r.database()));
  }

  private static Handler.Result changes(List<Change> changes) {
    return Handler.Result.of(changes.stream()
        .map(c -> row("action", c.action(), "table_name", c.tableName(), "id", c.id(), "description",
            c.description()))
        .toList());
  }

  private static Handler.Result install(Handler.Request r) {
    List<String> modules = moduleNames(r);
    InstallResult result = r.engine().install(r.engine().permit(DatabaseName.of(r.database())), modules, r.call());
    return Handler.Result.of(tables(result.createdTables(), "created_table_name"));
  }

  private static Handler.Result uninstall(Handler.Request r) {
    List<String> modules = moduleNames(r);
    UninstallResult result =
        r.engine().uninstall(r.engine().permit(DatabaseName.of(r.database())), modules, r.call());
    return Handler.Result.of(tables(result.droppedTables(), "dropped_table_name"));
  }

  private static List<String> moduleNames(Handler.Request r) {
    if (r.params().isEmpty()) {
      throw EngineException.withHint(ErrorCode.INVALID_ARGUMENT, "no module named",
          "name at least one module: SELECT * FROM iasql_install('aws_vpc')");
    }
    return r.params();
  }

  private static List<Map<String, Object>> tables(List<ModuleTable> tables, String column) {
    return tables.stream()
        .map(t -> row("module_name", t.module(), column, t.table(), "record_count", t.recordCount()))
        .toList();
  }

  private static Handler.Result modulesList(Handler.Request r) {
    return Handler.Result.of(r.engine().availableModules(permit(r).release()).stream()
        .map(m -> row("module_name", m.name(), "module_version", m.version(), "dependencies", m.dependencies()))
        .toList());
  }

  private static Handler.Result connect(Handler.Request r) {
    String name = r.firstParam("the database name");
    // The SQL side leaves a NULL release out: no second argument means the latest.
    CreatedDatabase db = r.params().size() > 1 ? r.engine().createDatabase(name, r.params().get(1))
        : r.engine().createDatabase(name);
    return new Handler.Result(
        List.of(row("name", db.name(), "pg_user", db.pgUser(), "pg_password", db.pgPassword(), "connection_url",
            db.url())),
        Set.of("pg_password", "connection_url"));
  }

  private static Handler.Result disconnect(Handler.Request r) {
    String name = r.onlyParam("the database name");
    r.engine().dropDatabase(name);
    return Handler.Result.of(List.of(row("name", name)));
  }

  private static Handler.Result dbList(Handler.Request r) {
    return Handler.Result.of(r.engine().listDatabases().stream()
        .map(d -> row("name", d.name(), "pg_user", d.pgUser(), "release", d.release(), "upgrade_state",
            d.upgradeState(), "created_at", d.createdAt().toString()))
        .toList());
  }

  private static Map<String, Object> row(Object... keyValues) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      row.put((String) keyValues[i], keyValues[i + 1]);
    }
    return row;
  }
}
