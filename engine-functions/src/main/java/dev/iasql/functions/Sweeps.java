package dev.iasql.functions;

import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.spi.AttachedDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes what nobody else will: calls whose engine session died while their caller was gone too (the caller would
 * have recorded it), and one-time secrets whose caller never came to read them. No session watches an idle database,
 * so a database is swept when it is served, after its calls (every few seconds at most), and once more a minute after
 * a call that handed over a secret.
 */
final class Sweeps {
  private static final Logger LOG = LoggerFactory.getLogger(Sweeps.class);
  private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
  /** A secret nobody read is cleared after a minute (see {@link #sweep}); swept just after. */
  private static final long SECRET_SWEEP_SECONDS = 61;

  private final Map<String, Long> lastSwept = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor later = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "iasql-sweep");
    t.setDaemon(true);
    return t;
  });

  Sweeps() {
    later.setRemoveOnCancelPolicy(true);
    later.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** After a call, on its connection: sweeps unless the database was swept a moment ago. */
  void afterCall(String database, Connection c) {
    long now = System.nanoTime();
    Long last = lastSwept.get(database);
    if (last != null && now - last < EVERY_NANOS) {
      return;
    }
    lastSwept.put(database, now);
    try {
      sweep(c);
    } catch (SQLException e) {
      LOG.warn("could not sweep {}: {}", database, e.getMessage());
    }
  }

  /** A call handed over a secret: if its caller never reads it, it is cleared a minute on. */
  void afterSecret(AttachedDatabase database) {
    try {
      ScheduledFuture<?> unused = later.schedule(() -> {
        try (Connection c = database.dataSource().getConnection()) {
          sweep(c);
        } catch (SQLException | RuntimeException e) {
          LOG.debug("could not sweep {}: {}", database, e.getMessage()); // gone meanwhile, or at its next call
        }
      }, SECRET_SWEEP_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // stopping
    }
  }

  void forget(String database) {
    lastSwept.remove(database);
  }

  void close() {
    later.shutdownNow();
  }

  static List<Long> pending(Connection c) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM public.iasql_operation WHERE status = 'pending' ORDER BY id")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  /** One statement, so that whoever watches sees both done or neither (the rows it changes are disjoint). */
  static void sweep(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("WITH orphaned AS (UPDATE public.iasql_operation SET"
        + " status = 'error', end_date = clock_timestamp(), err = jsonb_build_object('code', ?::text, 'message',"
        + " 'the engine stopped mid-call; nobody was waiting for it')"
        + " WHERE status IN ('running', 'cancelling') AND start_date < clock_timestamp() - interval '5 seconds'"
        + " AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = engine_pid"
        + " AND a.datname = current_database()) RETURNING 1),"
        + " unread AS (UPDATE public.iasql_operation SET transient_output = NULL WHERE transient_output IS NOT NULL"
        + " AND end_date < clock_timestamp() - interval '1 minute' RETURNING 1)"
        + " SELECT (SELECT count(*) FROM orphaned), (SELECT count(*) FROM unread)")) {
      ps.setString(1, ErrorCode.ENGINE_DIED.sqlState());
      try (ResultSet rs = ps.executeQuery()) {
        long n = rs.next() ? rs.getLong(1) : 0;
        if (n > 0) {
          LOG.warn("marked {} calls whose engine session had died as failed", n);
        }
      }
    }
  }
}
