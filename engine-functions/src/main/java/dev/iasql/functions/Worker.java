package dev.iasql.functions;

import dev.iasql.engine.Call;
import dev.iasql.engine.Cancellation;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.Code;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.operation.OperationLog;
import dev.iasql.engine.spi.AttachedDatabase;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs claimed calls of one database, each on one connection: it takes a request lock under a fresh random key,
 * claims the row (publishing the key and its backend pid), does the work and writes the outcome, then unlocks. The
 * caller waits for that lock, so it wakes when the outcome is written or the engine's session dies; between slices
 * of that wait it looks for a lock cycle between its own transaction and this backend (see bridge.sql).
 */
final class Worker {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int KEY_ATTEMPTS = 16;
  /**
   * Joined into each of the worker's own autocommit writes to a request row (claim, outcome, progress): that one
   * commit skips the wait for the WAL flush, as the caller's loopback does; a request row need not survive a crash.
   * Local to the statement's transaction, so the engine's work on module tables, on the same connection, keeps the
   * server's durability.
   */
  static final String NO_FLUSH = "(SELECT pg_catalog.set_config('synchronous_commit', 'off', true)) AS no_flush";

  private final AttachedDatabase database;
  private final Map<String, Handler> handlers;
  private final Bridge bridge;

  Worker(AttachedDatabase database, Map<String, Handler> handlers, Bridge bridge) {
    this.database = database;
    this.handlers = handlers;
    this.bridge = bridge;
  }

  void cancel(long id) {
    bridge.inFlight().cancel(database.name(), id);
  }

  void run(long id) {
    try (var a = MDC.putCloseable("db", database.name());
        Connection status = database.dataSource().getConnection()) {
      status.setAutoCommit(true);
      int key = lockFreshKey(status);
      try {
        runLocked(status, id, key);
      } finally {
        unlock(status, key);
      }
      bridge.sweeps().afterCall(database.name(), status);
    } catch (SQLException e) {
      // Without a status connection the outcome cannot be written; the caller sees the lock go and reports it.
      LOG.error("call {} of {} failed in the bridge itself", id, database, e);
    }
  }

  private void runLocked(Connection status, long id, int key) throws SQLException {
    // Registered before the claim: a cancel that arrives between the claim and the work must find the call.
    Cancellation cancellation = Cancellation.create();
    bridge.inFlight().add(database.name(), id, cancellation);
    try {
      claimAndRun(status, id, key, cancellation);
    } finally {
      bridge.inFlight().remove(database.name(), id);
    }
  }

  private void claimAndRun(Connection status, long id, int key, Cancellation cancellation) throws SQLException {
    String op;
    List<String> params;
    String requestedBy;
    String opid;
    try (PreparedStatement ps = status.prepareStatement("UPDATE public.iasql_operation SET status = 'running',"
        + " engine_pid = pg_backend_pid(), lock_key = ? FROM " + NO_FLUSH + " WHERE id = ? AND status = 'pending'"
        + " RETURNING optype, params, requested_by, opid::text")) {
      ps.setInt(1, key);
      ps.setLong(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return; // claimed by another engine, cancelled or expired before we got to it
        }
        op = rs.getString(1);
        Array array = rs.getArray(2);
        params = Arrays.asList((String[]) array.getArray());
        requestedBy = rs.getString(3);
        opid = rs.getString(4);
      }
    }
    long started = System.nanoTime();
    try (var b = MDC.putCloseable("operation", opid); var c = MDC.putCloseable("verb", op)) {
      LOG.debug("{} called by {}", op, requestedBy);
      try {
        Handler handler = handlers.get(op);
        if (handler == null) {
          throw new EngineException(ErrorCode.UNKNOWN_FUNCTION, "this engine has no operation \"" + op + "\"",
              null, "the database's functions are newer than the engine; upgrade the engine", null);
        }
        Call call = Call.on(status, cancellation, message -> progress(id, message));
        Handler.Result result = handler.handle(new Handler.Request(bridge.engine(), database.name(), params,
            requestedBy, call));
        writeDone(status, id, result);
        if (!result.secret().isEmpty()) {
          bridge.sweeps().afterSecret(database);
        }
        LOG.info("{} by {} done in {} ms", op, requestedBy, (System.nanoTime() - started) / 1_000_000);
      } catch (EngineException e) {
        Code code = e.code();
        if (code == ErrorCode.CANCELLED && bridge.inFlight().isStopping()) {
          code = ErrorCode.ENGINE_STOPPED;
          e = new EngineException(code, "the engine stopped while running " + op, null,
              "nothing was changed; call it again once the engine is back", e);
        }
        LOG.info("{} by {} failed: {} {}", op, requestedBy, code.sqlState(), e.getMessage());
        writeError(status, id, code == ErrorCode.CANCELLED ? "cancelled" : "error", e);
      } catch (RuntimeException e) {
        LOG.error("{} failed with an internal error", op, e);
        writeError(status, id, "error", new EngineException(ErrorCode.INTERNAL_ERROR,
            "internal error in " + op + ": " + e, null, "this is a bug; the engine log has the stack trace", e));
      }
    }
  }

  /**
   * Appends a progress line to the call's row on a connection of its own: the working connection is inside a
   * transaction, and the caller must see the line now, not at commit.
   */
  private void progress(long id, String message) {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE public.iasql_operation"
            + " SET progress = progress || jsonb_build_array(?::text) FROM " + NO_FLUSH + " WHERE id = ?")) {
      ps.setString(1, message);
      ps.setLong(2, id);
      ps.executeUpdate();
    } catch (SQLException e) {
      LOG.warn("could not record progress of call {}: {}", id, e.getMessage());
    }
  }

  private static void writeDone(Connection status, long id, Handler.Result result) throws SQLException {
    String full = OperationLog.json(result.rows());
    String kept = full;
    if (result.secret().isEmpty()) {
      full = null; // nothing to hand over once: the kept output is the whole output
    } else {
      kept = OperationLog.json(result.rows().stream().map(row -> {
        Map<String, Object> copy = new LinkedHashMap<>(row);
        result.secret().forEach(k -> copy.replace(k, "(redacted)"));
        return copy;
      }).toList());
    }
    try (PreparedStatement ps = status.prepareStatement("UPDATE public.iasql_operation SET status = 'done',"
        + " output = ?::jsonb, transient_output = ?::jsonb, end_date = clock_timestamp() FROM " + NO_FLUSH
        + " WHERE id = ?")) {
      ps.setString(1, kept);
      ps.setString(2, full);
      ps.setLong(3, id);
      ps.executeUpdate();
    }
  }

  /**
   * Writes a failed outcome. A caller that stopped its call with a reason (it found its own transaction holding a lock
   * the work waits for) wrote that reason with the cancel: it is the real error, so it is kept.
   */
  private static void writeError(Connection status, long id, String state, EngineException e) throws SQLException {
    try (PreparedStatement ps = status.prepareStatement("UPDATE public.iasql_operation SET"
        + " status = CASE WHEN status = 'cancelling' AND err IS NOT NULL THEN 'error' ELSE ? END,"
        + " err = CASE WHEN status = 'cancelling' AND err IS NOT NULL THEN err ELSE ?::jsonb END,"
        + " end_date = clock_timestamp() FROM " + NO_FLUSH + " WHERE id = ?")) {
      ps.setString(1, state);
      ps.setString(2, OperationLog.json(OperationLog.errorOf(e)));
      ps.setLong(3, id);
      ps.executeUpdate();
    }
  }

  /**
   * Takes a request lock under a key nobody knows yet: drawn at random here, it is published (in the claimed row)
   * only once held. A tenant can take any advisory lock in its own database, so a key it could predict would let it
   * make this worker wait; a try never waits, and a taken key is just drawn again.
   */
  private static int lockFreshKey(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock_shared(?, ?)")) {
      for (int attempt = 0; attempt < KEY_ATTEMPTS; attempt++) {
        int key = RANDOM.nextInt();
        ps.setInt(1, BridgeSql.REQUEST_CLASS);
        ps.setInt(2, key);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getBoolean(1)) {
            return key;
          }
        }
      }
    }
    throw new SQLException("no free request lock key in " + KEY_ATTEMPTS + " random draws");
  }

  private static void unlock(Connection c, int key) throws SQLException {
    advisory(c, "SELECT pg_advisory_unlock_shared(?, ?)", key);
  }

  private static void advisory(Connection c, String sql, int key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, BridgeSql.REQUEST_CLASS);
      ps.setInt(2, key);
      ps.execute();
    }
  }
}
