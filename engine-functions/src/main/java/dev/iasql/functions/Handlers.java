package dev.iasql.functions;

import dev.iasql.engine.Change;
import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.DatabaseName;
import dev.iasql.engine.InstallResult;
import dev.iasql.engine.ModuleInfo;
import dev.iasql.engine.UninstallResult;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.guard.Permit;
import dev.iasql.engine.operation.OperationType;
import dev.iasql.engine.sql.Sql;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** The engine-backed operations, by the operation name the SQL side sends. */
final class Handlers {
  private Handlers() {}

  /**
   * Keyed by IaSQL v0.0.20's optype (what the SQL side writes to {@code iasql_operation.optype}), and by the lower-case
   * names databases made by an earlier engine still send: their functions were generated then and still run.
   */
  static final Map<String, Handler> USER_DATABASE = withLegacyNames(Map.of(
      OperationType.INSTALL, Handlers::install,
      OperationType.UNINSTALL, Handlers::uninstall,
      OperationType.LIST, Handlers::modulesList,
      OperationType.APPLY, r -> changes(r.engine().apply(permit(r), r.call())),
      OperationType.PLAN_APPLY, r -> changes(r.engine().previewApply(permit(r), r.call())),
      OperationType.SYNC, r -> changes(r.engine().sync(permit(r), r.call())),
      OperationType.PLAN_SYNC, r -> changes(r.engine().previewSync(permit(r), r.call())),
      OperationType.UPGRADE, r -> Handler.Result.of(List.of(Map.of(BridgeSql.SCALAR,
          r.engine().upgrade(DatabaseName.of(r.database()), r.call()).message()))),
      OperationType.RPC, Handlers::rpc,
      OperationType.DELETE_ALL_RECORDS, r -> {
        r.engine().deleteAllRecords(permit(r), r.call());
        return Handler.Result.of(List.of());
      }));

  static final Map<String, Handler> METADATA = withLegacyNames(Map.of(
      OperationType.CONNECT, Handlers::connect,
      OperationType.DISCONNECT, Handlers::disconnect,
      OperationType.DB_LIST, Handlers::dbList));

  private static Map<String, Handler> withLegacyNames(Map<OperationType, Handler> handlers) {
    Map<String, Handler> byName = new HashMap<>();
    handlers.forEach((type, handler) -> {
      byName.put(type.name(), handler);
      byName.put(type.verb(), handler);
    });
    return Map.copyOf(byName);
  }

  /** A module's own function: the SQL side sends the module, the function, then the caller's arguments. */
  private static Handler.Result rpc(Handler.Request r) {
    if (r.params().size() < 2) {
      throw new EngineException(ErrorCode.INVALID_ARGUMENT, "an RPC call names its module and function");
    }
    return Handler.Result.rows(r.engine().rpc(permit(r), r.params().get(0), r.params().get(1),
        r.params().subList(2, r.params().size()), r.call()));
  }

  private static Permit permit(Handler.Request r) {
    return r.engine().permit(DatabaseName.of(r.database()));
  }

  private static Handler.Result changes(List<Change> changes) {
    return Handler.Result.rows(changes.stream()
        .map(c -> new Results.Changed(c.action(), c.tableName(), c.id(), c.description()))
        .toList());
  }

  /**
   * As IaSQL v0.0.20's {@code iasql_install}: every table of each module asked for (installed now or before), with its
   * record count after the install's cloud import, and those of the dependencies installed with it (first, in install
   * order); module names carry their version. Platform modules have no rows, as in IaSQL, where their tables were never listed.
   */
  private static Handler.Result install(Handler.Request r) {
    List<String> modules = moduleNames(r);
    Permit permit = permit(r);
    InstallResult result = r.engine().install(permit, modules, r.call());
    Set<String> names = new LinkedHashSet<>(result.installedModules()); // in install order: dependencies first
    modules.forEach(m -> names.add(m.contains("@") ? m.substring(0, m.indexOf('@')) : m));
    names.removeIf(Handlers::isPlatform);
    Connection c = r.call().borrowed().orElseThrow();
    List<Results.Installed> rows = new ArrayList<>();
    DSLContext dsl = Sql.dsl(c);
    for (String module : names) {
      for (String table : dsl.fetch("SELECT \"table\" FROM public.iasql_tables WHERE module = ? ORDER BY \"table\"",
          versioned(module, permit)).getValues(0, String.class)) {
        rows.add(new Results.Installed(versioned(module, permit), table,
            dsl.fetchCount(DSL.table(DSL.name("public", table)))));
      }
    }
    return Handler.Result.rows(rows);
  }

  private static Handler.Result uninstall(Handler.Request r) {
    List<String> modules = moduleNames(r);
    Permit permit = permit(r);
    UninstallResult result = r.engine().uninstall(permit, modules, r.call());
    return Handler.Result.rows(result.droppedTables().stream()
        .map(t -> new Results.Uninstalled(versioned(t.module(), permit), t.table(), t.recordCount()))
        .toList());
  }

  /** IaSQL's names: {@code aws_vpc@0.0.20}; every module of a database is at that database's release. */
  private static String versioned(String module, Permit permit) {
    return module + "@" + permit.release();
  }

  /** IaSQL kept its own modules out of iasql_modules_list() and iasql_install's rows by this very test. */
  private static boolean isPlatform(String module) {
    return module.startsWith("iasql_");
  }

  private static List<String> moduleNames(Handler.Request r) {
    if (r.params().isEmpty()) {
      throw EngineException.withHint(ErrorCode.INVALID_ARGUMENT, "no module named",
          "name at least one module: SELECT * FROM iasql_install('aws_vpc')");
    }
    return r.params();
  }

  /**
   * As IaSQL v0.0.20's {@code iasql_modules_list()}: the modules a user can install (not the platform's), by bare name
   * and version, each with its dependencies as versioned names, the platform's left out.
   */
  private static Handler.Result modulesList(Handler.Request r) {
    List<ModuleInfo> all = r.engine().availableModules(permit(r).release());
    Map<String, String> versions = new HashMap<>();
    all.forEach(m -> versions.put(m.name(), m.version()));
    return Handler.Result.rows(all.stream()
        .filter(m -> !isPlatform(m.name()))
        .map(m -> new Results.Available(m.name(), m.version(),
            m.dependencies().stream().filter(d -> !isPlatform(d)).map(d -> d + "@" + versions.get(d)).toList()))
        .toList());
  }

  private static Handler.Result connect(Handler.Request r) {
    String name = r.firstParam("the database name");
    // The SQL side leaves a NULL release out: no second argument means the latest.
    CreatedDatabase db = r.params().size() > 1 ? r.engine().createDatabase(name, r.params().get(1))
        : r.engine().createDatabase(name);
    return Handler.Result.rows(List.of(new Results.Connected(db.name(), db.pgUser(), db.pgPassword(), db.url())));
  }

  private static Handler.Result disconnect(Handler.Request r) {
    String name = r.onlyParam("the database name");
    r.engine().dropDatabase(name);
    return Handler.Result.rows(List.of(new Results.Disconnected(name)));
  }

  private static Handler.Result dbList(Handler.Request r) {
    return Handler.Result.rows(r.engine().listDatabases().stream()
        .map(d -> new Results.Database(d.name(), d.pgUser(), d.release(), d.upgradeState(), d.createdAt()))
        .toList());
  }
}
