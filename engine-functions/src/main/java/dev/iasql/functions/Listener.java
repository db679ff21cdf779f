package dev.iasql.functions;

import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.spi.AttachedDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one database: holds the presence lock (so callers know an engine is there), LISTENs for requests and
 * cancels, and hands request ids to the workers. Reconnects after a lost connection and rescans what is pending, so a
 * notification missed while away is not a call lost.
 */
final class Listener {
  private static final Logger LOG = LoggerFactory.getLogger(Listener.class);
  private static final int POLL_MILLIS = 500;

  private static final Properties DRIVER_PROPERTIES = new Properties();

  static {
    DRIVER_PROPERTIES.setProperty("socketFactory", ListenerSocketFactory.class.getName());
  }

  private final AttachedDatabase database;
  private final Worker worker;
  private final Dispatcher workers;
  private final Set<Long> queued = ConcurrentHashMap.newKeySet();
  private final CountDownLatch ready = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean stopped;
  private volatile Connection connection;
  /** Between LISTEN and the loss of its connection: what health reports. */
  private volatile boolean listening;
  private long lastIgnoredLog = System.nanoTime() - TimeUnit.MINUTES.toNanos(2);

  Listener(AttachedDatabase database, Worker worker, Dispatcher workers) {
    this.database = database;
    this.worker = worker;
    this.workers = workers;
    this.thread = new Thread(this::run, "iasql-listen-" + database.name());
    this.thread.setDaemon(true);
  }

  /** Starts listening and waits (briefly) until the presence lock is held, so a call right after attach finds us. */
  void start() {
    thread.start();
    try {
      if (!ready.await(10, TimeUnit.SECONDS)) {
        LOG.warn("listener for {} is not ready after 10 s; calls will wait for it", database);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean listening() {
    return listening;
  }

  void stop() {
    requestStop();
    awaitStop();
  }

  /**
   * Waits, at most {@code timeout}, until no call of this database runs or waits for a worker: after {@link
   * #requestStop()}, so that none starts meanwhile (a queued one finds the listener stopped and leaves its row
   * pending). The database's pool closes next, under any call still running.
   */
  void awaitCalls(Duration timeout) {
    try {
      if (!workers.awaitIdle(database.name(), timeout)) {
        LOG.warn("calls of {} still running {} s after it was detached", database, timeout.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Lets go of the presence lock and ends the loop; returns at once, so many listeners can stop together. */
  void requestStop() {
    stopped = true;
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("closing the listener connection of {}", database, e);
      }
    }
    thread.interrupt();
  }

  void awaitStop() {
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    long backoff = 100;
    while (!stopped) {
      try (Connection c = database.dedicated().open(DRIVER_PROPERTIES)) {
        connection = c;
        c.setAutoCommit(true);
        boolean present = tryPresence(c);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN iasql_request");
          s.execute("LISTEN iasql_cancel");
        }
        LOG.info("serving {}", database);
        listening = true;
        ready.countDown();
        backoff = 100;
        PGConnection pg = c.unwrap(PGConnection.class);
        scanPending(c);
        long lastScan = System.nanoTime();
        while (!stopped) {
          PGNotification[] notes = pg.getNotifications(POLL_MILLIS);
          if (notes != null) {
            for (PGNotification n : notes) {
              long id = requestId(n.getParameter());
              if (id <= 0) {
                ignored(n);
              } else if ("iasql_request".equals(n.getName())) {
                submit(id);
              } else {
                worker.cancel(id);
              }
            }
          }
          if (System.nanoTime() - lastScan > TimeUnit.SECONDS.toNanos(5)) {
            scanPending(c); // a safety net: notifications are not lost while connected, but cost nothing to check
            lastScan = System.nanoTime();
            present = present || tryPresence(c);
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (stopped) {
          break;
        }
        LOG.warn("lost the connection serving {}: {}; reconnecting in {} ms", database, e.getMessage(), backoff);
        sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      } finally {
        listening = false;
        connection = null;
      }
    }
    ready.countDown();
    LOG.info("stopped serving {}", database);
  }

  /**
   * Takes the presence lock without waiting. Any session of the database may take that lock itself (advisory locks
   * are open to all); then callers believe an engine is there, which we make true by serving anyway, and the lock is
   * tried again at every scan.
   */
  private boolean tryPresence(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock_shared(?, ?)")) {
      ps.setInt(1, BridgeSql.PRESENCE_CLASS);
      ps.setInt(2, BridgeSql.PRESENCE_ID);
      try (ResultSet rs = ps.executeQuery()) {
        boolean held = rs.next() && rs.getBoolean(1);
        if (!held) {
          LOG.warn("another session of {} holds the engine's presence lock; serving it anyway", database);
        }
        return held;
      }
    }
  }

  /**
   * The request id a notification carries, or 0 when it carries none. Anyone connected to the database may notify
   * these channels with any payload: a bad one must not cost the listener its connection.
   */
  static long requestId(String payload) {
    if (payload == null || !payload.matches("[1-9][0-9]{0,18}")) {
      return 0;
    }
    try {
      return Long.parseLong(payload);
    } catch (NumberFormatException e) {
      return 0; // 19 digits above Long.MAX_VALUE
    }
  }

  private void ignored(PGNotification n) {
    // Logged once a minute at most: a session may send as many as it likes.
    long now = System.nanoTime();
    if (now - lastIgnoredLog > TimeUnit.MINUTES.toNanos(1)) {
      lastIgnoredLog = now;
      LOG.warn("ignored a notification on {} that is not a request id: \"{}\" (from backend {})",
          printable(n.getName()), printable(n.getParameter()), n.getPID());
    }
  }

  /** At most 64 characters, anything outside printable ASCII (newlines, escape sequences) as {@code \\uXXXX}. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 64; i++) {
      char ch = s.charAt(i);
      if (ch >= 0x20 && ch < 0x7f && ch != '\\' && ch != '"') {
        b.append(ch);
      } else {
        b.append(String.format("\\u%04x", (int) ch));
      }
    }
    return s.length() > 64 ? b.append("...").toString() : b.toString();
  }

  private void scanPending(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM public.iasql_operation WHERE status = 'pending' ORDER BY id")) {
      while (rs.next()) {
        submit(rs.getLong(1));
      }
    }
    sweep(c);
  }

  /**
   * Finishes what nobody else will: calls whose engine session died while their caller was gone too (the caller
   * would have recorded it), and one-time secrets whose caller never came to read them.
   */
  private static void sweep(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE public.iasql_operation SET status = 'error',"
        + " end_date = clock_timestamp(), err = jsonb_build_object('code', ?::text, 'message',"
        + " 'the engine stopped mid-call; nobody was waiting for it')"
        + " WHERE status IN ('running', 'cancelling') AND start_date < clock_timestamp() - interval '5 seconds'"
        + " AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = engine_pid"
        + " AND a.datname = current_database())")) {
      ps.setString(1, ErrorCode.ENGINE_DIED.sqlState());
      int n = ps.executeUpdate();
      if (n > 0) {
        LOG.warn("marked {} calls whose engine session had died as failed", n);
      }
    }
    try (Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE public.iasql_operation SET transient_output = NULL WHERE transient_output IS NOT NULL"
          + " AND end_date < clock_timestamp() - interval '1 minute'");
    }
  }

  private void submit(long id) {
    if (!queued.add(id)) {
      return;
    }
    try {
      workers.submit(database.name(), () -> {
        try {
          if (!stopped) {
            worker.run(id);
          }
        } finally {
          queued.remove(id);
        }
      });
    } catch (RejectedExecutionException e) {
      queued.remove(id); // shutting down: the caller sees the engine leave
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
