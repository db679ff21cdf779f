package dev.iasql.engine;

import static dev.iasql.engine.EngineErrors.argument;

import dev.iasql.engine.cloud.CloudThreads;
import dev.iasql.engine.cloud.Reconciler;
import dev.iasql.engine.cloud.Reconciler.Mode;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.guard.Permit;
import dev.iasql.engine.module.Installer;
import dev.iasql.engine.module.ModuleCatalog;
import dev.iasql.engine.module.ReleaseModules;
import dev.iasql.engine.operation.OperationType;
import dev.iasql.engine.spi.CloudAccount;
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.CloudException;
import dev.iasql.engine.spi.Extensions;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.Module;
import dev.iasql.engine.spi.ModuleName;
import dev.iasql.engine.spi.Rpc;
import dev.iasql.engine.spi.RpcCall;
import dev.iasql.engine.sql.AdvisoryLocks;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The guarded operations on one database's modules and cloud: install and uninstall (an install imports its tables'
 * cloud state in the same transaction), apply, sync, their previews, and the region list. Each runs through the
 * {@link OperationRunner}; what touches the cloud holds the database's cloud lock.
 */
final class CloudOperations {
  private final OperationRunner runner;
  private final ReleaseModules modules;
  private final Connections connections;
  private final Extensions extensions;
  private final CloudThreads threads = new CloudThreads();

  CloudOperations(OperationRunner runner, ReleaseModules modules, Connections connections, Extensions extensions) {
    this.runner = runner;
    this.modules = modules;
    this.connections = connections;
    this.extensions = extensions;
  }

  /** Ends the cloud calls' threads: the engine stops. */
  void close() {
    threads.close();
  }

  InstallResult install(Permit permit, List<String> names, Call call) {
    argument(permit, "permit");
    argument(names, "names");
    argument(call, "call");
    Cancellation cancellation = call.cancellation();
    return runner.run(permit, OperationType.INSTALL, names, call, (c, progress) -> withCloudLock(c, cancellation,
        () -> {
          InstallResult result = modules.installer(permit.release()).install(c,
              connections.tenantOf(permit.database()), names, progress, call.cancellation());
          importCloud(c, permit, result.installedModules(), progress, call.cancellation());
          return Installer.recount(c, result);
        }));
  }

  private void importCloud(Connection c, Permit permit, List<String> installedNow, Call.Progress progress,
      Cancellation cancellation) throws SQLException {
    ModuleCatalog catalog = modules.catalog(permit.release());
    List<Module> fresh = installedNow.stream().map(n -> catalog.find(ModuleName.of(n)).orElseThrow()).toList();
    List<Mapper<?>> mappers = fresh.stream().flatMap(m -> m.mappers().stream()).toList();
    boolean accountNow = fresh.stream().anyMatch(m -> m.account().isPresent());
    if (mappers.isEmpty() && !accountNow) {
      return;
    }
    Reconciler reconciler = reconciler(permit, installedModules(c, permit), mappers);
    if (mappers.isEmpty()) {
      loadRegions(reconciler, c, progress, cancellation);
      return;
    }
    progress.report("importing " + (mappers.size() == 1 ? "1 table" : mappers.size() + " tables")
        + " from the cloud");
    try {
      reconciler.sync(c, Mode.RUN, progress, cancellation);
    } catch (EngineException e) {
      CloudException none = noCredentials(e);
      if (none == null) {
        throw e;
      }
      // Installing first and adding keys after is the natural order; the tables wait, empty, for the first sync.
      progress.report(none.getMessage() + ", then SELECT * FROM iasql_sync() loads "
          + String.join(", ", mappers.stream().map(Mapper::table).toList()) + " (created empty)");
    }
  }

  /** The cloud error of an operation that failed only because the database has no credentials yet, else null. */
  private static CloudException noCredentials(EngineException e) {
    return e.getCause() instanceof CloudException ce && CloudException.NO_CREDENTIALS.equals(ce.errorCode()) ? ce
        : null;
  }

  UninstallResult uninstall(Permit permit, List<String> names, Call call) {
    argument(names, "names");
    return runner.run(permit, OperationType.UNINSTALL, names, call,
        (c, progress) -> modules.installer(permit.release()).uninstall(c, names, progress, call.cancellation()));
  }

  List<Change> apply(Permit permit, Call call) {
    AtomicReference<List<Change>> committed = new AtomicReference<>(List.of());
    return runner.run(permit, OperationType.APPLY, List.of(), call, committed, (c, progress) -> withCloudLock(c,
        call.cancellation(),
        () -> reconciler(c, permit).apply(c, Mode.RUN, madeSoFar -> {
          c.commit();
          committed.set(madeSoFar);
        }, progress, call.cancellation())));
  }

  List<Change> previewApply(Permit permit, Call call) {
    return runner.run(permit, OperationType.PLAN_APPLY, List.of(), call, (c, progress) -> reconciler(c,
        permit).apply(c, Mode.PREVIEW, Reconciler.Checkpoint.NONE, progress, call.cancellation()));
  }

  List<Change> sync(Permit permit, Call call) {
    return runner.run(permit, OperationType.SYNC, List.of(), call, (c, progress) -> withCloudLock(c,
        call.cancellation(), () -> reconciler(c, permit).sync(c, Mode.RUN, progress, call.cancellation())));
  }

  List<Change> previewSync(Permit permit, Call call) {
    return runner.run(permit, OperationType.PLAN_SYNC, List.of(), call, (c, progress) -> reconciler(c,
        permit).sync(c, Mode.PREVIEW, progress, call.cancellation()));
  }

  List<ModuleTable> deleteAllRecords(Permit permit, Call call) {
    return runner.run(permit, OperationType.DELETE_ALL_RECORDS, List.of(), call, (c, progress) -> withCloudLock(c,
        call.cancellation(),
        () -> modules.installer(permit.release()).deleteAllRecords(c, progress)));
  }

  /**
   * Loads the region list from the cloud into the account module's tables, and nothing else (a sync would also drop
   * rows not yet applied). Without an account module or credentials there is nothing to load.
   */
  List<Change> refreshRegions(Permit permit, Call call) {
    return runner.run(permit, OperationType.REFRESH_REGIONS, List.of(), call, (c, progress) -> withCloudLock(c,
        call.cancellation(), () -> {
          Optional<CloudAccount> account = account(installedModules(c, permit));
          if (account.isEmpty()) {
            return List.of();
          }
          return loadRegions(new Reconciler(permit.database().value(), account.get(), List.of(), extensions,
              threads), c,
              progress, call.cancellation());
        }));
  }

  /** Loads the account's region list; a database without credentials yet has nothing to load, which is no error. */
  private static List<Change> loadRegions(Reconciler reconciler, Connection c, Call.Progress progress,
      Cancellation cancellation) throws SQLException {
    try {
      return reconciler.syncAccount(c, progress, cancellation);
    } catch (EngineException e) {
      CloudException none = noCredentials(e);
      if (none == null) {
        throw e;
      }
      progress.report(none.getMessage() + ", then the next install or SELECT * FROM iasql_sync() loads the regions");
      return List.of();
    }
  }

  /**
   * Runs an installed module's RPC with the database's connection and a cloud context from its own credentials; the
   * log's params are the module, the function and the arguments.
   */
  List<Record> rpc(Permit permit, String module, String function, List<String> arguments, Call call) {
    argument(module, "module");
    argument(function, "function");
    argument(arguments, "arguments");
    List<String> params = new ArrayList<>(List.of(module, function));
    params.addAll(arguments);
    return runner.run(permit, OperationType.RPC, params, call, (c, progress) -> {
      List<Module> installed = installedModules(c, permit);
      Rpc<?> rpc = installed.stream().filter(m -> m.name().value().equals(module))
          .flatMap(m -> m.rpcs().stream()).filter(r -> r.name().equals(function)).findFirst()
          .orElseThrow(() -> EngineException.withHint(ErrorCode.UNKNOWN_FUNCTION, "module " + module
              + " is not installed or has no function " + function, "SELECT * FROM iasql_install('" + module
              + "') first"));
      List<Optional<String>> given = arguments.stream()
          .map(a -> a == null || a.isEmpty() ? Optional.<String>empty() : Optional.of(a)).toList();
      required(rpc, given);
      CloudAccount account = reconciler(permit, installed, List.of()).account();
      try {
        CloudContext cloud = account.open(c, permit.database().value(), extensions);
        return List.copyOf(rpc.handler().call(new RpcCall(permit.database().value(), given, c, cloud)));
      } catch (CloudException e) {
        throw Reconciler.translate(e, account.credentialsHint(), account.codes());
      }
    });
  }

  /** A required argument given as NULL or '' is the caller's slip, named before the cloud is opened. */
  private static void required(Rpc<?> rpc, List<Optional<String>> given) {
    for (int i = 0; i < rpc.arguments().size(); i++) {
      Rpc.Argument a = rpc.arguments().get(i);
      if (a.required() && (i >= given.size() || given.get(i).isEmpty())) {
        throw EngineException.withHint(ErrorCode.INVALID_ARGUMENT, rpc.name() + " needs " + a.name(), "SELECT * FROM "
            + rpc.name() + "(" + rpc.arguments().stream().map(Rpc.Argument::name).collect(Collectors.joining(", "))
            + "), optional ones last");
      }
    }
  }

  /** A reconciler for every installed module's tables. */
  private Reconciler reconciler(Connection c, Permit permit) {
    List<Module> installed = installedModules(c, permit);
    return reconciler(permit, installed, installed.stream().flatMap(m -> m.mappers().stream()).toList());
  }

  private Reconciler reconciler(Permit permit, List<Module> installed, List<Mapper<?>> mappers) {
    CloudAccount account = account(installed).orElseThrow(() -> {
      // Named from the database's own release: its account module, credentials table and codes.
      Optional<Module> accountModule = modules.catalog(permit.release()).all().stream()
          .filter(m -> m.account().isPresent()).findFirst();
      String message = "no cloud account module is installed in " + permit.database();
      return accountModule.map(m -> EngineException.withHint(m.account().orElseThrow().codes().noAccount(), message,
              "SELECT * FROM iasql_install('" + m.name() + "'), then " + m.account().orElseThrow().credentialsHint()))
          .orElseGet(() -> EngineException.withHint(ErrorCode.MODULE_SET_INVALID, message,
              "release " + permit.release() + " has no cloud account module"));
    });
    return new Reconciler(permit.database().value(), account, mappers, extensions, threads);
  }

  private static Optional<CloudAccount> account(List<Module> installed) {
    return installed.stream().flatMap(m -> m.account().stream()).findFirst();
  }

  private List<Module> installedModules(Connection c, Permit permit) {
    return modules.installer(permit.release()).installed(c);
  }

  /**
   * Cloud work on one database runs one at a time (two applies would create everything twice); a second caller waits
   * at most the lock timeout, and a cancel ends the wait.
   */
  private <T> T withCloudLock(Connection c, Cancellation cancellation, AdvisoryLocks.Body<T> work)
      throws SQLException {
    return AdvisoryLocks.withLock(c, AdvisoryLocks.Key.CLOUD, runner.lockTimeout(), cancellation, work);
  }
}
