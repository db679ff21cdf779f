package dev.iasql.engine;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.sql.AdvisoryLocks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.exception.DataAccessException;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds how long an operation's SQL waits for a lock, and turns a lock that was not had into a clear error. A
 * tenant's session may hold any lock in its own database (an open transaction with {@code LOCK aws_credentials}, an
 * advisory lock of ours): the engine must never wait for it forever.
 */
final class LockWaits {
  private static final Logger LOG = LoggerFactory.getLogger(LockWaits.class);
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final String DEADLOCK = "40P01";
  private static final String LOCK_NOT_AVAILABLE = "55P03";
  /** PostgreSQL names the table of a row it waited for in the error's context: {@code ... in relation "x"}. */
  private static final Pattern ROW_OF = Pattern.compile("in relation \"([^\"]+)\"");

  private LockWaits() {}

  /** Sets the bound for the connection's session until {@link #reset}: apply commits between rounds. */
  static void bound(Connection c, Duration timeout) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT set_config('lock_timeout', ?, false)")) {
      ps.setString(1, timeout.toMillis() + "ms");
      ps.execute();
    }
  }

  /** Back to the session's default, so a pooled connection carries nothing over; a broken one is closed anyway. */
  static void reset(Connection c) {
    try (PreparedStatement ps = c.prepareStatement("RESET lock_timeout")) {
      ps.execute();
    } catch (SQLException e) {
      LOG.debug("could not reset lock_timeout: {}", e.getMessage());
    }
  }

  /**
   * The error to report for a failed operation whose cause is a lock it could not have, or null. Call it after the
   * rollback: it reads who holds what on the same connection.
   */
  static @Nullable EngineException explain(Connection c, String verb, Duration timeout, Throwable failure) {
    String state = null;
    String where = null;
    for (Throwable t = failure; t != null && state == null; t = t.getCause()) {
      String s = t instanceof SQLException e ? e.getSQLState() : t instanceof DataAccessException d ? d.sqlState()
          : null;
      if (DEADLOCK.equals(s) || LOCK_NOT_AVAILABLE.equals(s)) {
        state = s;
        if (t instanceof PSQLException p && p.getServerErrorMessage() != null) {
          where = p.getServerErrorMessage().getWhere();
        }
        if (where == null && t.getCause() instanceof PSQLException p && p.getServerErrorMessage() != null) {
          where = p.getServerErrorMessage().getWhere();
        }
      }
    }
    if (DEADLOCK.equals(state)) {
      return new EngineException(ErrorCode.CALLER_LOCK_CONFLICT,
          verb + " needs objects that the calling transaction holds locked; nothing was changed", null,
          "call it outside of a transaction that has read or changed those tables, or COMMIT first", failure);
    }
    if (state == null) {
      return null;
    }
    Matcher row = where == null ? null : ROW_OF.matcher(where);
    String what = row != null && row.find() ? "a row of table " + row.group(1) + " that another transaction holds"
        : holders(c);
    return new EngineException(ErrorCode.LOCK_TIMEOUT,
        verb + " waited " + human(timeout) + " for " + what + "; its transaction was rolled back",
        "the engine waits at most " + human(timeout) + " for a lock another session holds",
        "end the transaction that holds it (COMMIT or ROLLBACK), then call it again; if that is the calling"
            + " transaction (it read or changed the tables this call changes), COMMIT before the call", failure);
  }

  private static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /**
   * The locks other sessions of this database hold that an operation waits for: tables locked in a mode that blocks
   * reads or writes, and the advisory locks that let one install or cloud call run at a time. A session's own
   * transaction ended with the wait, so this names what is held now; it is not told which one the statement wanted.
   */
  private static String holders(Connection c) {
    List<String> found = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("""
        SELECT CASE WHEN l.locktype = 'relation' THEN format('table %I.%I (%s', n.nspname, k.relname, l.mode)
                    WHEN l.classid = ?::oid THEN '(the lock that runs one apply, sync or install at a time'
                    ELSE '(the lock that runs one install or uninstall at a time' END
               -- A session's state shows only to its own role (the engine works as the database's owner role, not a
               -- superuser), so name the login, which every role may see.
               || format(', held by backend %s of %s%s)', l.pid, coalesce(a.usename::text, 'another role'),
                         coalesce(', ' || a.state, ''))
        FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
          LEFT JOIN pg_class k ON k.oid = l.relation LEFT JOIN pg_namespace n ON n.oid = k.relnamespace
        WHERE l.granted AND l.pid <> pg_backend_pid()
          AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
          AND ((l.locktype = 'relation' AND l.relation >= 16384
                AND l.mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'))
            OR (l.locktype = 'advisory' AND l.objsubid = 2
                AND ((l.classid = ?::oid AND l.objid = ?::oid) OR (l.classid = ?::oid AND l.objid = ?::oid))))
        ORDER BY 1 LIMIT 5""")) {
      ps.setInt(1, AdvisoryLocks.Key.CLOUD.classId());
      ps.setInt(2, AdvisoryLocks.Key.CLOUD.classId());
      ps.setInt(3, AdvisoryLocks.Key.CLOUD.objectId());
      ps.setInt(4, AdvisoryLocks.Key.INSTALL.classId());
      ps.setInt(5, AdvisoryLocks.Key.INSTALL.objectId());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
      c.commit();
    } catch (SQLException e) {
      return "a lock another session holds";
    }
    return found.isEmpty() ? "a lock another session holds" : "a lock another session holds: " + String.join("; ",
        found);
  }
}
