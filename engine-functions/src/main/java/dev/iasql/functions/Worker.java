package dev.iasql.functions;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.iasql.engine.Call;
import dev.iasql.engine.Cancellation;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.Code;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.operation.LogContext;
import dev.iasql.engine.operation.OperationLog;
import dev.iasql.engine.spi.AttachedDatabase;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  /** The longest a direct call waits for a session at a time before it looks at its cancellation and timeout. */
  private static final long SESSION_WAIT_MILLIS = 1_000;

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

  String databaseName() {
    return database.name();
  }

  void cancel(long id) {
    bridge.inFlight().cancel(database.name(), id);
  }

  void run(long id) {
    try (var a = LogContext.put("db", database.name());
        Connection status = database.dataSource().getConnection()) {
      status.setAutoCommit(true);
      // Registered before the claim: a cancel that arrives between the claim and the work must find the call.
      Cancellation cancellation = Cancellation.create();
      bridge.inFlight().add(database.name(), id, cancellation);
      Integer held = null;
      try {
        Claim claim = claim(status, id);
        held = claim.key();
        if (claim.request() != null
            && run(status, id, held, claim.request(), cancellation, new Progress(id, null, null), null).released()) {
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

  /**
   * Runs a call that came over the engine's port ({@link Wire}): there is no request to claim and no lock for the
   * caller to wait on; the row is written here, as running, for others to see, and the outcome is returned as
   * bridge.sql's call returns it: {@code {"output": rows}} or {@code {"err": {...}}}.
   */
  String runDirect(Wire.Call call) {
    try (var a = LogContext.put("db", database.name())) {
      return runDirectHere(call);
    }
  }

  private String runDirectHere(Wire.Call call) {
    Connection session;
    try {
      session = session(call);
    } catch (SQLException e) {
      // Nothing ran and no row was written: what the queued route's caller hears when no engine claims its request.
      LOG.warn("no session of {} for a {} call: {}", database, call.op, e.getMessage());
      return failed(OperationLog.json(OperationLog.errorOf(new EngineException(ErrorCode.REQUEST_NOT_PICKED_UP,
          "the IaSQL engine could not open a session in database " + database.name() + " to run the " + call.op
              + " call", e.getMessage(), "nothing was done; the engine's share of the cluster's connections may be"
              + " in use, or its logins queued behind other databases' (see its log): call it again, or SET"
              + " iasql.pickup_timeout = '30s' to wait longer", e))));
    }
    try (Connection status = session) {
      status.setAutoCommit(true);
      Request request;
      long id;
      try (PreparedStatement ps = status.prepareStatement("INSERT INTO public.iasql_operation (optype, params,"
          + " requested_by, status, engine_pid) SELECT ?, ?, ?, 'running', pg_catalog.pg_backend_pid() FROM " + NO_FLUSH
          + " RETURNING id, engine_pid, opid::text")) {
        ps.setString(1, call.op);
        ps.setArray(2, status.createArrayOf("text", call.params.toArray()));
        ps.setString(3, call.requestedBy);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
          request = new Request(call.op, call.params, call.requestedBy, rs.getString(3));
          call.claimed(id, rs.getInt(2));
        }
      }
      bridge.inFlight().add(database.name(), id, call.cancellation);
      try {
        return run(status, id, null, request, call.cancellation, new Progress(id, call::progress, status), call)
            .json();
      } finally {
        bridge.inFlight().remove(database.name(), id);
        bridge.sweeps().afterCall(database.name(), status);
      }
    } catch (SQLException e) {
      // Its session ended mid-call (terminated, the database restarted or dropped): what the queued route's caller
      // reports when the request lock goes without an outcome.
      LOG.warn("the session of a {} call of {} ended mid-call: {}", call.op, database, e.getMessage());
      String json = OperationLog.json(OperationLog.errorOf(new EngineException(ErrorCode.ENGINE_DIED,
          "the IaSQL engine stopped while running the " + call.op + " call", null,
          "the call may have been partly done; see iasql_operation, then call it again once the engine is back", e)));
      if (call.id != 0) {
        try (Connection c = database.dataSource().getConnection();
            PreparedStatement ps = c.prepareStatement("UPDATE public.iasql_operation SET status = 'error',"
                + " end_date = clock_timestamp(), err = ?::jsonb WHERE id = ? AND status IN ('running', 'cancelling')")) {
          ps.setString(1, json);
          ps.setLong(2, call.id);
          ps.executeUpdate();
        } catch (SQLException again) {
          LOG.warn("could not record how call {} of {} ended: {}", call.id, database, again.getMessage());
        }
      }
      return failed(json);
    }
  }

  /**
   * A session for a direct call. When the engine cannot open one at once (its logins queue behind other databases',
   * as when hundreds of them call at once after a start), it keeps trying while the caller's pickup timeout lasts, as
   * a queued call waits for its claim, in waits of at most {@link #SESSION_WAIT_MILLIS} so that the caller's Ctrl-C
   * and its own timeout end the wait on time (the pool's own wait is 10 s for every borrower).
   */
  private Connection session(Wire.Call call) throws SQLException {
    boolean logged = false;
    while (true) {
      long left = call.pickupMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - call.arrivedNanos);
      try {
        return borrow(Math.max(1, Math.min(SESSION_WAIT_MILLIS, left)));
      } catch (SQLTransientConnectionException e) {
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - call.arrivedNanos);
        if (waited >= call.pickupMillis || call.cancellation.isCancelled()) {
          throw new SQLTransientConnectionException("no session within " + waited + " ms (the caller's pickup"
              + " timeout is " + call.pickupMillis + " ms): " + e.getMessage(), e.getSQLState(), e);
        }
        if (!logged) {
          logged = true;
          LOG.info("no session of {} for a {} call after {} ms, waiting up to its pickup timeout of {} ms: {}",
              database, call.op, waited, call.pickupMillis, e.getMessage());
        }
      }
    }
  }

  /** A session of the database's pool, waiting at most {@code waitMillis} for one where the pool allows a bound. */
  private Connection borrow(long waitMillis) throws SQLException {
    if (database.dataSource() instanceof HikariDataSource hikari
        && hikari.getHikariPoolMXBean() instanceof HikariPool pool) {
      return pool.getConnection(waitMillis);
    }
    return database.dataSource().getConnection();
  }

  /** A failed outcome as bridge.sql's call returns it, around the error's JSON. */
  private static String failed(String errJson) {
    return "{\"err\": " + errJson + "}";
  }

  /**
   * The error to stop a direct call with whose work waits for a lock its caller's transaction holds, while that
   * transaction waits for the call ({@link LockCycles} found it); or null when the cycle is gone. Named in the
   * database itself, on a connection of its own.
   */
  @Nullable String nameLockCycle(Wire.Call call) {
    try (Connection c = database.dedicated().open(new Properties());
        PreparedStatement ps = c.prepareStatement("SELECT iasql_engine.lock_cycle(?, ?, ?)::text")) {
      ps.setString(1, call.op);
      ps.setInt(2, call.enginePid);
      ps.setInt(3, call.callerPid);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      LOG.warn("could not name the lock cycle of call {} of {}: {}", call.id, database, e.getMessage());
      return null;
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

  /** What a call ended with: whether the request lock went with it, and the outcome as bridge.sql returns it. */
  private record Outcome(boolean released, String json) {}

  /**
   * Runs a call and writes its outcome. {@code key}: the request lock the outcome's commit lets go of, or null (a
   * direct call); {@code direct}: the direct call, or null.
   */
  private Outcome run(Connection status, long id, @Nullable Integer key, Request request, Cancellation cancellation,
      Progress progress, Wire.@Nullable Call direct) throws SQLException {
    String op = request.op();
    String requestedBy = request.requestedBy();
    long started = System.nanoTime();
    try (var b = LogContext.put("operation", request.opid()); var c = LogContext.put("verb", op)) {
      LOG.debug("{} called by {}", op, requestedBy);
      try {
        Handler handler = handlers.get(op);
        if (handler == null) {
          throw new EngineException(ErrorCode.UNKNOWN_FUNCTION, "this engine has no operation \"" + op + "\"",
              null, "the database's functions are newer than the engine; upgrade the engine", null);
        }
        cancellation.throwIfCancelled(); // its caller went while it waited for its turn
        Call call = Call.on(status, cancellation, progress::add);
        Handler.Result result = handler.handle(new Handler.Request(bridge.engine(), database.name(),
            request.params(), requestedBy, call));
        String full = OperationLog.json(result.rows());
        boolean released = writeDone(status, id, key, progress.done(), result, full);
        if (!result.secret().isEmpty()) {
          bridge.sweeps().afterSecret(database);
        }
        LOG.info("{} by {} done in {} ms", op, requestedBy, (System.nanoTime() - started) / 1_000_000);
        return new Outcome(released, "{\"output\": " + full + "}");
      } catch (EngineException e) {
        Code code = e.code();
        String stoppedFor = direct == null ? null : direct.stoppedFor;
        if (code == ErrorCode.CANCELLED && stoppedFor != null) {
          LOG.info("{} by {} stopped: it waited for its caller's transaction", op, requestedBy);
          return writeError(status, id, key, progress.done(), "error", stoppedFor);
        }
        if (code == ErrorCode.CANCELLED && bridge.inFlight().isStopping()) {
          code = ErrorCode.ENGINE_STOPPED;
          e = new EngineException(code, "the engine stopped while running " + op, null,
              "nothing was changed; call it again once the engine is back", e);
        }
        LOG.info("{} by {} failed: {} {}", op, requestedBy, code.sqlState(), e.getMessage());
        return writeError(status, id, key, progress.done(), code == ErrorCode.CANCELLED ? "cancelled" : "error",
            OperationLog.json(OperationLog.errorOf(e)));
      } catch (RuntimeException e) {
        LOG.error("{} failed with an internal error", op, e);
        return writeError(status, id, key, progress.done(), "error", OperationLog.json(OperationLog.errorOf(
            new EngineException(ErrorCode.INTERNAL_ERROR, "internal error in " + op + ": " + e, null,
                "this is a bug; the engine log has the stack trace", e))));
      }
    }
  }

  /**
   * A running call's progress lines. A queued call's are each written as they come to the metadata database, on the
   * engine's own connections there (its caller reads them through its ring, and appends them to the call's row
   * through its loopback): a queued call needs one connection of its own database, however much it reports. A direct
   * call's go to its caller over the engine's port, and to its row on a connection borrowed for the statement. The
   * row gets every line again with the outcome.
   */
  private final class Progress {
    private final long id;
    private final @Nullable Consumer<String> direct;
    /** A direct call's own connection, which its lines are written to the row on (see {@link #appendToRow}). */
    private final @Nullable Connection status;
    private final List<String> lines = new ArrayList<>();

    Progress(long id, @Nullable Consumer<String> direct, @Nullable Connection status) {
      this.id = id;
      this.direct = direct;
      this.status = status;
    }

    /** In order: the caller reads the lines after the last it showed, so one may not commit before an earlier one. */
    synchronized void add(String message) {
      lines.add(message);
      if (direct != null) {
        direct.accept(message);
        appendToRow(message);
        return;
      }
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
     * A direct call's line also goes to its row at once, so that another session watching {@code iasql_operation}
     * sees how far the call got (on the queued route its caller appends them through its loopback): on the call's own
     * connection between two of its transactions, else on one its database's pool holds idle right now. Never on a
     * connection opened for it: a second connection per line is what made 50 busy databases fill the engine's share
     * of the cluster. A line with no connection to go on reaches the row with the outcome.
     */
    private void appendToRow(String message) {
      try {
        if (status != null && status.getAutoCommit()
            && status.unwrap(BaseConnection.class).getTransactionState() == TransactionState.IDLE) {
          appendToRow(status, message);
        } else if (database.dataSource() instanceof HikariDataSource pool && pool.getHikariPoolMXBean() != null
            && pool.getHikariPoolMXBean().getIdleConnections() > 0) {
          try (Connection c = pool.getConnection()) {
            appendToRow(c, message);
          }
        }
      } catch (SQLException e) {
        LOG.debug("could not record progress of call {}: {}", id, e.getMessage()); // the row gets it at the end
      }
    }

    private void appendToRow(Connection c, String message) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("UPDATE public.iasql_operation SET progress = progress"
          + " || ?::jsonb FROM " + NO_FLUSH + " WHERE id = ? AND status IN ('running', 'cancelling')")) {
        ps.setString(1, OperationLog.json(List.of(message)));
        ps.setLong(2, id);
        ps.executeUpdate();
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
      if (direct == null) {
        try (Connection c = bridge.metadata().dataSource().getConnection();
            PreparedStatement ps = c.prepareStatement("DELETE FROM iasql_engine.progress WHERE database = ?"
                + " AND id = ?")) {
          ps.setLong(1, oid);
          ps.setLong(2, id);
          ps.executeUpdate();
        } catch (SQLException e) {
          LOG.warn("could not remove the progress of call {}: {}", id, e.getMessage()); // swept a day on
        }
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

  private static int release(PreparedStatement ps, int from, @Nullable Integer key) throws SQLException {
    if (key == null) {
      return from;
    }
    ps.setInt(from, BridgeSql.REQUEST_CLASS);
    ps.setInt(from + 1, key);
    ps.setInt(from + 2, BridgeSql.REQUEST_CLASS);
    ps.setInt(from + 3, key);
    return from + 4;
  }

  /** What an outcome's statement joins: the release of the request lock, when there is one. */
  private static String release(@Nullable Integer key) {
    return key == null ? "" : ", " + RELEASE;
  }

  private static String released(@Nullable Integer key) {
    return key == null ? "true" : "release.released";
  }

  private static boolean writeDone(Connection status, long id, @Nullable Integer key, String progress,
      Handler.Result result, String full) throws SQLException {
    String kept = full;
    String handOver = null; // nothing to hand over once: the kept output is the whole output
    if (!result.secret().isEmpty()) {
      kept = OperationLog.json(result.rows().stream().map(row -> {
        Map<String, Object> copy = new LinkedHashMap<>(row);
        result.secret().forEach(k -> copy.replace(k, "(redacted)"));
        return copy;
      }).toList());
      handOver = key == null ? null : full; // a direct caller has it already
    }
    try (PreparedStatement ps = status.prepareStatement("UPDATE public.iasql_operation SET status = 'done',"
        + " output = ?::jsonb, transient_output = ?::jsonb, progress = ?::jsonb, end_date = clock_timestamp() FROM "
        + NO_FLUSH + release(key) + " WHERE id = ? RETURNING " + released(key))) {
      ps.setString(1, kept);
      ps.setString(2, handOver);
      ps.setString(3, progress);
      ps.setLong(release(ps, 4, key), id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /**
   * Writes a failed outcome. A caller that stopped its call with a reason (it found its own transaction holding a lock
   * the work waits for) wrote that reason with the cancel: it is the real error, so it is kept.
   */
  private static Outcome writeError(Connection status, long id, @Nullable Integer key, String progress, String state,
      String err) throws SQLException {
    try (PreparedStatement ps = status.prepareStatement("UPDATE public.iasql_operation SET"
        + " status = CASE WHEN status = 'cancelling' AND err IS NOT NULL THEN 'error' ELSE ? END,"
        + " err = CASE WHEN status = 'cancelling' AND err IS NOT NULL THEN err ELSE ?::jsonb END,"
        + " progress = ?::jsonb, end_date = clock_timestamp() FROM " + NO_FLUSH + release(key)
        + " WHERE id = ? RETURNING " + released(key) + ", err::text")) {
      ps.setString(1, state);
      ps.setString(2, err);
      ps.setString(3, progress);
      ps.setLong(release(ps, 4, key), id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Outcome(rs.getBoolean(1), failed(rs.getString(2)))
            : new Outcome(false, failed(err));
      }
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
