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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs claimed calls of one database, each on one connection: it takes a request lock under a fresh random key as it
 * claims the row (publishing the key and its backend pid), does the work, and writes the outcome, whose commit lets go
 * of the lock. The caller waits for that lock, so it wakes when the outcome is written or the engine's session dies; between slices
 * of that wait it looks for a lock cycle between its own transaction and this backend (see bridge.sql).
 */
final class Worker {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int KEY_ATTEMPTS = 16;
  /**
   * Joined into each of the worker's own autocommit writes to a request row (claim, outcome): that one
   * commit skips the wait for the WAL flush, as the caller's loopback does; a request row need not survive a crash.
   * Local to the statement's transaction, so the engine's work on module tables, on the same connection, keeps the
   * server's durability.
   */
  static final String NO_FLUSH = "(SELECT pg_catalog.set_config('synchronous_commit', 'off', true)) AS no_flush";

  private final AttachedDatabase database;
  /** The database's oid: its calls' progress lines in the metadata database are known by it. */
  private final long oid;
  private final Map<String, Handler> handlers;
  private final Bridge bridge;

  Worker(AttachedDatabase database, long oid, Map<String, Handler> handlers, Bridge bridge) {
    this.database = database;
    this.oid = oid;
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
      // Registered before the claim: a cancel that arrives between the claim and the work must find the call.
      Cancellation cancellation = Cancellation.create();
      bridge.inFlight().add(database.name(), id, cancellation);
      Integer held = null;
      try {
        Claim claim = claim(status, id);
        held = claim.key();
        if (claim.request() != null && run(status, id, claim, cancellation)) {
          held = null; // let go of with the outcome
        }
      } finally {
        bridge.inFlight().remove(database.name(), id);
        if (held != null) {
          unlock(status, held);
        }
      }
      bridge.sweeps().afterCall(database.name(), status);
    } catch (SQLException e) {
      // Without a status connection the outcome cannot be written; the caller sees the lock go and reports it.
      LOG.error("call {} of {} failed in the bridge itself", id, database, e);
    }
  }

  /** A claimed call, as the caller queued it. */
  private record Request(String op, List<String> params, String requestedBy, String opid) {}

  /** The request lock's key, held; and the call, or null when it was not there to claim. */
  private record Claim(int key, Request request) {}

  /**
   * Takes a request lock under a key nobody knows yet and claims the call with it, in one statement: the keys are
   * drawn at random here and the first free one is taken (a try never waits), then published in the claimed row, which
   * commits after the lock is held. A tenant can take any advisory lock in its own database, so a key it could predict
   * would let it make this worker wait. The row is not claimed when another engine took it or it ended meanwhile
   * (cancelled, expired); the key is then held all the same, and let go of by the caller of this.
   */
  private static Claim claim(Connection status, long id) throws SQLException {
    byte[] random = new byte[KEY_ATTEMPTS * Integer.BYTES];
    RANDOM.nextBytes(random); // one draw: each of the secure generator's is a locked read of the system's source
    java.nio.IntBuffer ints = java.nio.ByteBuffer.wrap(random).asIntBuffer();
    Integer[] keys = new Integer[KEY_ATTEMPTS];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = ints.get(i);
    }
    try (PreparedStatement ps = status.prepareStatement("WITH k AS MATERIALIZED (SELECT key FROM unnest(?::int[]) key"
        + " WHERE pg_catalog.pg_try_advisory_lock_shared(?, key) LIMIT 1),"
        + " c AS (UPDATE public.iasql_operation o SET status = 'running', engine_pid = pg_backend_pid(),"
        + " lock_key = k.key FROM k, " + NO_FLUSH + " WHERE o.id = ? AND o.status = 'pending'"
        + " RETURNING o.optype, o.params, o.requested_by, o.opid::text)"
        + " SELECT k.key, c.optype, c.params, c.requested_by, c.opid FROM k LEFT JOIN c ON true")) {
      ps.setArray(1, status.createArrayOf("int4", keys));
      ps.setInt(2, BridgeSql.REQUEST_CLASS);
      ps.setLong(3, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("no free request lock key in " + KEY_ATTEMPTS + " random draws");
        }
        int key = rs.getInt(1);
        if (rs.getString(2) == null) {
          return new Claim(key, null); // claimed by another engine, cancelled or expired before we got to it
        }
        Array array = rs.getArray(3);
        return new Claim(key, new Request(rs.getString(2), Arrays.asList((String[]) array.getArray()),
            rs.getString(4), rs.getString(5)));
      }
    }
  }

  /** Runs a claimed call and writes its outcome; returns whether the request lock went with it. */
  private boolean run(Connection status, long id, Claim claim, Cancellation cancellation) throws SQLException {
    Request request = claim.request();
    String op = request.op();
    String requestedBy = request.requestedBy();
    long started = System.nanoTime();
    Progress progress = new Progress(id);
    try (var b = MDC.putCloseable("operation", request.opid()); var c = MDC.putCloseable("verb", op)) {
      LOG.debug("{} called by {}", op, requestedBy);
      try {
        Handler handler = handlers.get(op);
        if (handler == null) {
          throw new EngineException(ErrorCode.UNKNOWN_FUNCTION, "this engine has no operation \"" + op + "\"",
              null, "the database's functions are newer than the engine; upgrade the engine", null);
        }
        Call call = Call.on(status, cancellation, progress::add);
        Handler.Result result = handler.handle(new Handler.Request(bridge.engine(), database.name(),
            request.params(), requestedBy, call));
        boolean released = writeDone(status, id, claim.key(), progress.done(), result);
        if (!result.secret().isEmpty()) {
          bridge.sweeps().afterSecret(database);
        }
        LOG.info("{} by {} done in {} ms", op, requestedBy, (System.nanoTime() - started) / 1_000_000);
        return released;
      } catch (EngineException e) {
        Code code = e.code();
        if (code == ErrorCode.CANCELLED && bridge.inFlight().isStopping()) {
          code = ErrorCode.ENGINE_STOPPED;
          e = new EngineException(code, "the engine stopped while running " + op, null,
              "nothing was changed; call it again once the engine is back", e);
        }
        LOG.info("{} by {} failed: {} {}", op, requestedBy, code.sqlState(), e.getMessage());
        return writeError(status, id, claim.key(), progress.done(), code == ErrorCode.CANCELLED ? "cancelled"
            : "error", e);
      } catch (RuntimeException e) {
        LOG.error("{} failed with an internal error", op, e);
        return writeError(status, id, claim.key(), progress.done(), "error", new EngineException(
            ErrorCode.INTERNAL_ERROR, "internal error in " + op + ": " + e, null,
            "this is a bug; the engine log has the stack trace", e));
      }
    }
  }

  /**
   * A running call's progress lines. Each is written as it comes to the metadata database, on the engine's own
   * connections there (its caller reads it through its ring), not to the call's row on a second connection of the
   * database: a call needs one connection of its own database, however much it reports. The row gets every line with
   * the outcome, and the metadata database's copies then go.
   */
  private final class Progress {
    private final long id;
    private final List<String> lines = new ArrayList<>();

    Progress(long id) {
      this.id = id;
    }

    /** In order: the caller reads the lines after the last it showed, so one may not commit before an earlier one. */
    synchronized void add(String message) {
      lines.add(message);
      try (Connection c = bridge.metadata().dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement("INSERT INTO iasql_engine.progress (database, id, n, line)"
              + " VALUES (?, ?, ?, ?)")) {
        ps.setLong(1, oid);
        ps.setLong(2, id);
        ps.setInt(3, lines.size());
        ps.setString(4, message);
        ps.executeUpdate();
      } catch (SQLException e) {
        LOG.warn("could not record progress of call {}: {}", id, e.getMessage()); // its caller sees it at the end
      }
    }

    /**
     * The lines, as the JSON array the call's row keeps, once the work is done: the metadata database's copies go
     * first, so that a caller who has its outcome finds none left. One who was reading them meanwhile shows the rest
     * from the row.
     */
    synchronized String done() {
      if (lines.isEmpty()) {
        return "[]";
      }
      try (Connection c = bridge.metadata().dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement("DELETE FROM iasql_engine.progress WHERE database = ?"
              + " AND id = ?")) {
        ps.setLong(1, oid);
        ps.setLong(2, id);
        ps.executeUpdate();
      } catch (SQLException e) {
        LOG.warn("could not remove the progress of call {}: {}", id, e.getMessage()); // swept a day on
      }
      return OperationLog.json(lines);
    }
  }

  /**
   * Joined into the statement that writes a call's outcome: the request lock, held by the session since the claim, is
   * then held by the statement's transaction instead, so it goes when the outcome commits, and not a moment before
   * (a caller woken earlier would read the call as still running). One round trip instead of two.
   */
  private static final String RELEASE = "(SELECT pg_catalog.pg_advisory_xact_lock_shared(?, ?),"
      + " pg_catalog.pg_advisory_unlock_shared(?, ?) AS released) AS release";

  private static int release(PreparedStatement ps, int from, int key) throws SQLException {
    ps.setInt(from, BridgeSql.REQUEST_CLASS);
    ps.setInt(from + 1, key);
    ps.setInt(from + 2, BridgeSql.REQUEST_CLASS);
    ps.setInt(from + 3, key);
    return from + 4;
  }

  /** Whether the row was there to write, and so the lock went with it. */
  private static boolean released(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  private static boolean writeDone(Connection status, long id, int key, String progress, Handler.Result result)
      throws SQLException {
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
        + " output = ?::jsonb, transient_output = ?::jsonb, progress = ?::jsonb, end_date = clock_timestamp() FROM "
        + NO_FLUSH + ", " + RELEASE + " WHERE id = ? RETURNING release.released")) {
      ps.setString(1, kept);
      ps.setString(2, full);
      ps.setString(3, progress);
      ps.setLong(release(ps, 4, key), id);
      return released(ps);
    }
  }

  /**
   * Writes a failed outcome. A caller that stopped its call with a reason (it found its own transaction holding a lock
   * the work waits for) wrote that reason with the cancel: it is the real error, so it is kept.
   */
  private static boolean writeError(Connection status, long id, int key, String progress, String state,
      EngineException e) throws SQLException {
    try (PreparedStatement ps = status.prepareStatement("UPDATE public.iasql_operation SET"
        + " status = CASE WHEN status = 'cancelling' AND err IS NOT NULL THEN 'error' ELSE ? END,"
        + " err = CASE WHEN status = 'cancelling' AND err IS NOT NULL THEN err ELSE ?::jsonb END,"
        + " progress = ?::jsonb, end_date = clock_timestamp() FROM " + NO_FLUSH + ", " + RELEASE
        + " WHERE id = ? RETURNING release.released")) {
      ps.setString(1, state);
      ps.setString(2, OperationLog.json(OperationLog.errorOf(e)));
      ps.setString(3, progress);
      ps.setLong(release(ps, 4, key), id);
      return released(ps);
    }
  }

  private static void unlock(Connection c, int key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock_shared(?, ?)")) {
      ps.setInt(1, BridgeSql.REQUEST_CLASS);
      ps.setInt(2, key);
      ps.execute();
    }
  }
}
