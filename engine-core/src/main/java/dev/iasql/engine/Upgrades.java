package dev.iasql.engine;

import static dev.iasql.engine.EngineErrors.internalError;
import static dev.iasql.engine.EngineErrors.notFound;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.guard.Permit;
import dev.iasql.engine.metadata.DatabaseRecord;
import dev.iasql.engine.metadata.MetadataStore;
import dev.iasql.engine.module.ReleaseModules;
import dev.iasql.engine.operation.LogContext;
import dev.iasql.engine.operation.OperationLog;
import dev.iasql.engine.operation.OperationType;
import dev.iasql.engine.upgrade.Upgrader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;

/**
 * Moves a database to the latest release through the {@link Upgrader}, giving it the steps that need the engine (the
 * schema migration, the cloud, the validation), and logs the call in iasql_operation as every other call is.
 */
final class Upgrades {
  private final Upgrader upgrader;
  private final MetadataStore metadata;
  private final ReleaseModules modules;
  private final Connections connections;
  private final Observer observer;
  private final Duration lockTimeout;
  private final CloudOperations cloud;

  Upgrades(Upgrader upgrader, MetadataStore metadata, ReleaseModules modules, Connections connections,
      Observer observer, Duration lockTimeout, CloudOperations cloud) {
    this.upgrader = upgrader;
    this.metadata = metadata;
    this.modules = modules;
    this.connections = connections;
    this.observer = observer;
    this.lockTimeout = lockTimeout;
    this.cloud = cloud;
  }

  UpgradeResult upgrade(DatabaseName database, Call call) {
    DatabaseRecord record = metadata.find(database.value()).filter(DatabaseRecord::ready)
        .orElseThrow(() -> notFound(database));
    String db = database.value();
    if (call.borrowed().isPresent()) {
      // the bridge's request row is the call's log entry
      Observer.Running running = observer.start(OperationLog.currentRequest(call.borrowed().get()), db,
          OperationType.UPGRADE);
      try {
        UpgradeResult result = run(database, record, running.observe(call));
        running.finished();
        return result;
      } catch (EngineException e) {
        running.failed(e);
        throw e;
      } catch (RuntimeException e) {
        EngineException internal = internalError("upgrade", e);
        running.failed(internal);
        throw internal;
      }
    }
    // Called through the Java API: the call leaves its one row in iasql_operation, as every other call does.
    try (var a = LogContext.put("db", db);
        Connection c = connections.userPool(db, record.pgUser()).getConnection()) {
      long id = OperationLog.started(c, OperationType.UPGRADE, List.of());
      Observer.Running running = observer.start(OptionalLong.of(id), db, OperationType.UPGRADE);
      try {
        UpgradeResult result = run(database, record, running.observe(call));
        OperationLog.done(c, id, List.of(Map.of("value", result.message())));
        running.finished();
        return result;
      } catch (EngineException e) {
        running.failed(e);
        OperationLog.failed(c, id, e);
        throw e;
      } catch (RuntimeException e) {
        EngineException internal = internalError("upgrade", e);
        running.failed(internal);
        OperationLog.failed(c, id, internal);
        throw internal;
      }
    } catch (SQLException e) {
      throw internalError("upgrade", e);
    }
  }

  /** The releases from {@code from} to {@code to}, both included, in the catalogue's order. */
  private List<String> steps(String from, String to) {
    List<String> known = modules.releases().known();
    int start = known.indexOf(from);
    int end = known.indexOf(to);
    if (start < 0 || end < start) {
      throw new EngineException(ErrorCode.INTERNAL_ERROR, "no upgrade path from release " + from + " to " + to
          + " among " + known, null, null, null);
    }
    return known.subList(start, end + 1);
  }

  private UpgradeResult run(DatabaseName database, DatabaseRecord record, Call call) {
    String db = database.value();
    try (var a = LogContext.put("db", db);
        var b = LogContext.put("verb", "upgrade")) {
      return upgrader.upgrade(database, record.release(), record.upgradeState(),
          () -> connections.dedicated(db, record.pgUser(), new Properties()),
          new Upgrader.Steps() {
            @Override
            public List<String> migrateSchema(String from, String to, Call.Progress progress) throws SQLException {
              try (Connection c = connections.userPool(db, record.pgUser()).getConnection()) {
                LockWaits.bound(c, lockTimeout);
                c.setAutoCommit(false);
                try {
                  // One release at a time, each step its module's upgradeFrom(the release before), all in one
                  // transaction: a module says only how it moved from the release before its own.
                  Set<String> moved = new LinkedHashSet<>();
                  List<String> chain = steps(from, to);
                  for (int i = 1; i < chain.size(); i++) {
                    moved.addAll(modules.installer(chain.get(i)).upgrade(c, record.pgUser(),
                        modules.catalog(chain.get(i - 1)), chain.get(i - 1), progress, call.cancellation()));
                  }
                  c.commit();
                  return List.copyOf(moved);
                } catch (SQLException | RuntimeException e) {
                  c.rollback();
                  EngineException locked = LockWaits.explain(c, "upgrade", lockTimeout, e);
                  if (locked != null) {
                    throw locked;
                  }
                  throw e;
                } finally {
                  c.setAutoCommit(true);
                  LockWaits.reset(c);
                }
              }
            }

            @Override
            public void withCloud(Permit permit, Call.Progress progress) {
              // On a connection of its own, given as the call's: part of the upgrade's row, not a call of its own.
              try (Connection c = connections.userPool(db, record.pgUser()).getConnection()) {
                cloud.refreshRegions(permit, Call.on(c, call.cancellation(), progress));
              } catch (SQLException e) {
                throw new EngineException(ErrorCode.INTERNAL_ERROR, "loading the regions failed: " + e.getMessage(),
                    null, "call iasql_upgrade() again: it resumes where this one stopped", e);
              }
            }

            @Override
            public void validate(String to) throws SQLException {
              try (Connection c = connections.userPool(db, record.pgUser()).getConnection()) {
                c.setAutoCommit(false);
                try {
                  modules.installer(to).validate(c);
                } finally {
                  c.rollback();
                  c.setAutoCommit(true);
                }
              }
            }
          }, call);
    }
  }
}
