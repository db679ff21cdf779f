package dev.iasql.engine;

import static dev.iasql.engine.EngineErrors.argument;
import static dev.iasql.engine.EngineErrors.coded;
import static dev.iasql.engine.EngineErrors.internalError;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.guard.Guard;
import dev.iasql.engine.guard.Permit;
import dev.iasql.engine.operation.LogContext;
import dev.iasql.engine.operation.OperationLog;
import dev.iasql.engine.operation.OperationType;
import dev.iasql.engine.platform.PlatformModule;
import dev.iasql.engine.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a guarded operation gets its connection: it opens it (or uses the bridge's, whose request row is the
 * call's log entry), logs the call in iasql_operation, tells the listener and the meters, makes cancel stop the
 * running statement, runs the work in a transaction with db/verb in the log context, and closes everything.
 */
final class OperationRunner {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class); // the engine's log, as before the split
  /** Sends cancel requests off the caller's thread (a cancel may come from a listener that must not block). */
  private static final ExecutorService CANCELLER = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "iasql-cancel");
    t.setDaemon(true);
    return t;
  });

  private final Guard guard;
  private final Connections connections;
  private final Observer observer;
  private final Duration lockTimeout;
  private final AtomicBoolean closed;
  /** Databases whose audit log this engine has seen has the operation column. */
  private final Set<String> auditCurrent = ConcurrentHashMap.newKeySet();

  OperationRunner(Guard guard, Connections connections, Observer observer, Duration lockTimeout,
      AtomicBoolean closed) {
    this.guard = guard;
    this.connections = connections;
    this.observer = observer;
    this.lockTimeout = lockTimeout;
    this.closed = closed;
  }

  /** Work on the operation's connection, inside its transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection, Call.Progress progress) throws SQLException;
  }

  Observer observer() {
    return observer;
  }

  Duration lockTimeout() {
    return lockTimeout;
  }

  <T> T run(Permit permit, OperationType type, List<String> params, Call call, Work<T> work) {
    return run(permit, type, params, call, new AtomicReference<>(List.of()), work);
  }

  /**
   * @param committed the cloud changes the work has made durable so far (apply commits after each round): a call
   *     cancelled after any says "partly done" and lists them, never "nothing was changed"
   */
  <T> T run(Permit permit, OperationType type, List<String> params, Call call,
      AtomicReference<List<Change>> committed, Work<T> work) {
    String verb = type.verb();
    argument(permit, "permit");
    argument(call, "call");
    EngineErrors.ensureOpen(closed);
    guard.check(permit); // a permit taken before an upgrade began must not run during it
    String db = permit.database().value();
    try (var a = LogContext.put("db", db);
        var b = LogContext.put("verb", verb)) {
      Optional<Connection> given = call.borrowed();
      if (given.isPresent()) {
        if (!db.equals(given.get().getCatalog())) {
          throw new EngineException(ErrorCode.INVALID_ARGUMENT, "the call's connection is open on "
              + given.get().getCatalog() + ", not on " + db);
        }
        Connection c = given.get();
        ensureAuditCurrent(c, db);
        OptionalLong id = OperationLog.tagSession(c);
        Observer.Running running = observer.start(id, db, type);
        try {
          T result = inTransaction(c, verb, running.observe(call), committed, work);
          running.finished();
          return result;
        } catch (EngineException e) {
          running.failed(e);
          // The bridge records the error; what the call did before it stopped goes beside it.
          if (e.output().isPresent() && id.isPresent()) {
            OperationLog.output(c, id.getAsLong(), e.output().get());
          }
          throw e;
        } catch (SQLException | RuntimeException e) {
          EngineException internal = internalError(verb, e);
          running.failed(internal);
          throw internal;
        } finally {
          OperationLog.untagSession(c);
        }
      }
      try (Connection c = connections.userPool(db).getConnection()) {
        ensureAuditCurrent(c, db);
        long id = OperationLog.started(c, type, params);
        OperationLog.tagSession(c);
        Observer.Running running = observer.start(OptionalLong.of(id), db, type);
        try {
          T result = inTransaction(c, verb, running.observe(call), committed, work);
          OperationLog.done(c, id, result);
          running.finished();
          return result;
        } catch (EngineException e) {
          running.failed(e);
          OperationLog.failed(c, id, e);
          throw e;
        } catch (SQLException | RuntimeException e) {
          EngineException internal = internalError(verb, e);
          running.failed(internal);
          OperationLog.failed(c, id, internal);
          throw internal;
        } finally {
          OperationLog.untagSession(c);
        }
      }
    } catch (SQLException | RuntimeException e) {
      throw coded(verb, e);
    }
  }

  /**
   * Databases made before the audit log linked rows to operations get its column and trigger function on the first
   * call this engine serves there (the owner role owns both); the check costs one catalog query per database and
   * engine.
   */
  private void ensureAuditCurrent(Connection c, String db) throws SQLException {
    if (auditCurrent.contains(db)) {
      return;
    }
    boolean current;
    try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute"
            + " WHERE attrelid = 'public.iasql_audit_log'::regclass AND attname = 'operation_id'"
            + " AND NOT attisdropped)");
        var rs = ps.executeQuery()) {
      rs.next();
      current = rs.getBoolean(1);
    }
    if (!current) {
      LOG.info("adding operation ids to the audit log of {}", db);
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        Sql.script(c, PlatformModule.AUDIT_FUNCTION);
        c.commit();
      } catch (RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    }
    auditCurrent.add(db);
  }

  private <T> T inTransaction(Connection c, String verb, Call call, AtomicReference<List<Change>> committed,
      Work<T> work) throws SQLException {
    Cancellation cancellation = call.cancellation();
    Call.Progress progress = message -> {
      LOG.info("{}: {}", verb, message);
      call.progress().report(message);
    };
    cancellation.throwIfCancelled();
    PGConnection pg = c.unwrap(PGConnection.class);
    // PostgreSQL ignores a cancel that arrives between two statements, so keep sending it until the work ends.
    AtomicBoolean working = new AtomicBoolean(true);
    try (Cancellation.Registration r = cancellation.onCancel(() -> CANCELLER.execute(() -> {
          while (working.get()) {
            // Never while the work records what the cloud did; never after the work ended (the connection's next
            // statement belongs to someone else).
            cancellation.outsideShield(() -> {
              if (working.get()) {
                cancelQuietly(pg);
              }
            });
            sleepQuietly(200);
          }
        }))) {
      LockWaits.bound(c, lockTimeout); // a tenant's session may hold a lock we need for as long as it likes
      c.setAutoCommit(false);
      try {
        T result = work.run(c, progress);
        cancellation.throwIfCancelled();
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        if (cancellation.isCancelled()) {
          List<Change> done = committed.get();
          if (!done.isEmpty()) {
            throw partlyDone(verb, done, e);
          }
          throw new EngineException(ErrorCode.CANCELLED, verb + " was cancelled; nothing was changed", null, null,
              e);
        }
        EngineException locked = LockWaits.explain(c, verb, lockTimeout, e);
        if (locked != null) {
          throw locked;
        }
        throw e;
      } finally {
        cancellation.shielded(() -> {
          working.set(false);
          return null;
        });
        c.setAutoCommit(true);
        LockWaits.reset(c);
      }
    }
  }

  /** A call cancelled after it changed the cloud: it says what it did, which the database records. */
  private static EngineException partlyDone(String verb, List<Change> done, Throwable cause) {
    Map<String, Long> counts = new TreeMap<>();
    done.forEach(ch -> counts.merge(ch.action() + " " + ch.tableName(), 1L, Long::sum));
    String summary = counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
        .collect(Collectors.joining(", "));
    String detail = done.stream().limit(50)
        .map(ch -> ch.action() + " " + ch.tableName() + (ch.id() == null ? "" : " " + ch.id()) + " "
            + ch.description())
        .collect(Collectors.joining("\n")) + (done.size() > 50 ? "\n… and " + (done.size() - 50) + " more" : "");
    return new EngineException(ErrorCode.CANCELLED, verb + " was cancelled after it changed the cloud; partly done: "
        + summary, detail, "the database records every change made (the call's output in iasql_operation lists"
        + " them); SELECT * FROM iasql_preview_" + verb + "() shows what is left", cause, asRows(done));
  }

  /** Changes as iasql_apply() returns them (its column names), so a partial output reads like a full one. */
  private static List<Map<String, Object>> asRows(List<Change> changes) {
    return changes.stream().map(ch -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("action", ch.action());
      row.put("table_name", ch.tableName());
      row.put("id", ch.id());
      row.put("description", ch.description());
      return row;
    }).toList();
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void cancelQuietly(PGConnection pg) {
    try {
      pg.cancelQuery();
    } catch (SQLException e) {
      LOG.warn("could not cancel a running statement", e);
    }
  }
}
