package dev.iasql.engine.sql;

import dev.iasql.engine.Cancellation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * Every advisory lock the engine and its SQL bridge take, in one list, and the one way to hold one. Advisory locks
 * belong to a database and are open to every session of it (a tenant may take any of them), so a wait is always
 * bounded, and a lock is let go of in a finally that never hides the error in flight.
 *
 * <p>SQL that names a lock (the bridge's plumbing, {@code iasql_refuse_while_upgrading()}, the lock-holder report) gets
 * its numbers from here, filled in or bound, never typed again.
 */
public final class AdvisoryLocks {
  private AdvisoryLocks() {}

  /** Whether a lock ends with its transaction, or with an unlock (or the session): it outlives commits. */
  public enum Scope { SESSION, TRANSACTION }

  /** Every lock, as PostgreSQL's two-int key: (class id, object id). */
  public enum Key {
    /** In the metadata database: engines that start together migrate its schema once. */
    METADATA_MIGRATION(0x4951, 1, Scope.SESSION),
    /** Installs and uninstalls in one database run one at a time. */
    INSTALL(0x4951, 2, Scope.TRANSACTION),
    /**
     * In the metadata database, with the served database's oid (bigint form): held exclusively by the one engine
     * that serves that database, so that a caller can tell one does, and no second engine serves it meanwhile.
     */
    BRIDGE_PRESENCE(0x4951, 10, Scope.SESSION),
    /**
     * In the metadata database: held shared by every running engine, so that a caller whose database no engine serves
     * right now can tell whether one may take it over (then it waits) or none runs at all (then it fails at once).
     */
    ENGINE_ALIVE(0x4951, 11, Scope.SESSION),
    /** Engines that start or attach together replace the bridge's SQL one at a time. */
    BRIDGE_PLUMBING(0x4951, 99, Scope.TRANSACTION),
    /**
     * A claimed SQL call, held by its worker until the outcome is written. The object id is the request's own key,
     * drawn at random and published only once held (a tenant must not predict it).
     */
    BRIDGE_REQUEST(0x4952, null, Scope.SESSION),
    /**
     * Cloud work on one database (apply, sync, an install's import) runs one at a time: two applies would create
     * everything twice. A session lock, since apply commits after each round.
     */
    CLOUD(0x4953, 1, Scope.SESSION),
    /** The upgrade lease: held by the upgrading session for the whole upgrade; the guard refuses calls meanwhile. */
    UPGRADE_LEASE(0x4954, 0, Scope.SESSION);

    private final int classId;
    private final OptionalInt objectId;
    private final Scope scope;

    Key(int classId, Integer objectId, Scope scope) {
      this.classId = classId;
      this.objectId = objectId == null ? OptionalInt.empty() : OptionalInt.of(objectId);
      this.scope = scope;
    }

    public int classId() {
      return classId;
    }

    /** The object id; a lock whose id is drawn per use ({@link #BRIDGE_REQUEST}) has none here. */
    public int objectId() {
      return objectId.orElseThrow(() -> new IllegalStateException(this + " has no fixed object id"));
    }

    public boolean fixed() {
      return objectId.isPresent();
    }

    public Scope scope() {
      return scope;
    }
  }

  /** Work done while a lock is held. */
  @FunctionalInterface
  public interface Body<T> {
    T run() throws SQLException;
  }

  /** {@link #withLock(Connection, Key, Duration, Cancellation, Body)} with nothing that cancels. */
  public static <T> T withLock(Connection c, Key key, Duration wait, Body<T> body) throws SQLException {
    return withLock(c, key, wait, Cancellation.create(), body);
  }

  /**
   * Runs {@code body} holding a session lock: waits at most {@code wait} for it (then fails with SQLSTATE 55P03, which
   * {@code LockWaits} explains), and lets go of it whatever the body did. The unlock runs shielded from
   * {@code cancellation}: a cancel landing on it would leave the lock held by a pooled connection for good. When the
   * body failed and the unlock fails too, the unlock's error is added to the body's as suppressed, never thrown
   * instead of it.
   */
  public static <T> T withLock(Connection c, Key key, Duration wait, Cancellation cancellation, Body<T> body)
      throws SQLException {
    require(key, Scope.SESSION);
    String previous = take(c, key, wait);
    Throwable inFlight = null;
    try {
      setLockTimeout(c, previous); // inside the try: a cancel landing here must not leave the lock held
      return body.run();
    } catch (Throwable t) {
      inFlight = t;
      throw t;
    } finally {
      try {
        cancellation.shielded(() -> {
          release(c, key);
          return null;
        });
      } catch (SQLException | RuntimeException unlockFailed) {
        if (inFlight == null) {
          throw unlockFailed;
        }
        inFlight.addSuppressed(unlockFailed);
      }
    }
  }

  /**
   * Takes a transaction lock for the rest of the caller's transaction. It waits as long as the session's
   * {@code lock_timeout} lets it: the engine bounds every transaction that takes one ({@code LockWaits.bound}), or
   * {@code wait} sets the bound for the rest of the transaction.
   */
  public static void lockForTransaction(Connection c, Key key) throws SQLException {
    require(key, Scope.TRANSACTION);
    exec(c, "SELECT pg_advisory_xact_lock(?, ?)", key.classId(), key.objectId());
  }

  /** {@link #lockForTransaction(Connection, Key)}, bounding this transaction's lock waits to {@code wait} first. */
  public static void lockForTransaction(Connection c, Key key, Duration wait) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
      ps.setString(1, wait.toMillis() + "ms");
      ps.execute();
    }
    lockForTransaction(c, key);
  }

  /** Takes a session lock only if no other session holds it; never waits. Let go of it with {@link #unlock}. */
  public static boolean tryLock(Connection c, Key key) throws SQLException {
    require(key, Scope.SESSION);
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
      ps.setInt(1, key.classId());
      ps.setInt(2, key.objectId());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /** Lets go of a session lock this session holds; false when it held none. */
  public static boolean unlock(Connection c, Key key) throws SQLException {
    require(key, Scope.SESSION);
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
      ps.setInt(1, key.classId());
      ps.setInt(2, key.objectId());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /**
   * Waits for the lock with {@code lock_timeout} set to {@code wait}, and returns the session's own setting for the
   * caller to put back once it holds the lock. If the wait failed inside a transaction, that transaction is aborted
   * and its rollback puts the setting back.
   */
  private static String take(Connection c, Key key, Duration wait) throws SQLException {
    String previous;
    try (PreparedStatement ps = c.prepareStatement("SELECT p.previous, set_config('lock_timeout', ?, false)"
        + " FROM (SELECT current_setting('lock_timeout') AS previous OFFSET 0) p")) {
      ps.setString(1, wait.toMillis() + "ms");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        previous = rs.getString(1);
      }
    }
    try {
      exec(c, "SELECT pg_advisory_lock(?, ?)", key.classId(), key.objectId());
    } catch (SQLException | RuntimeException waitFailed) {
      if (c.getAutoCommit()) {
        try {
          setLockTimeout(c, previous);
        } catch (SQLException | RuntimeException resetFailed) {
          waitFailed.addSuppressed(resetFailed);
        }
      }
      throw waitFailed;
    }
    return previous;
  }

  private static void setLockTimeout(Connection c, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT set_config('lock_timeout', ?, false)")) {
      ps.setString(1, value);
      ps.execute();
    }
  }

  /**
   * An aborted transaction refuses the unlock. The work failed and is undone anyway: roll back, then unlock, or the
   * lock would outlive the call on this (pooled) connection.
   */
  private static void release(Connection c, Key key) throws SQLException {
    try {
      unlock(c, key);
    } catch (SQLException e) {
      if (c.isClosed() || c.getAutoCommit()) {
        throw e;
      }
      c.rollback();
      unlock(c, key);
    }
  }

  private static void exec(Connection c, String sql, int classId, int objectId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, classId);
      ps.setInt(2, objectId);
      ps.execute();
    }
  }

  private static void require(Key key, Scope scope) {
    if (key.scope() != scope) {
      throw new IllegalArgumentException(key + " is a " + key.scope() + " lock, not a " + scope + " one");
    }
  }
}
