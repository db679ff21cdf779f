package dev.iasql.functions;

import dev.iasql.engine.spi.AttachedDatabase;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's one listening session, in the metadata database, for every database it serves: each database's
 * functions ring here (see {@code doorbell.sql}), and the ring names the database and the call, which a worker then
 * runs on a connection of that database's pool. An idle database so costs no session and no thread. The session also
 * holds each served database's presence lock, so a caller knows at once whether an engine serves its database.
 * Reconnects after a lost session; a ring missed meanwhile is rung again by its waiting caller.
 *
 * <p>Presence is exclusive: of the engines on a cluster, the one whose session holds a database's lock serves it, and
 * the others, which want it too, try to take it now and then ({@link #RETRY_MILLIS}), and at once when told that
 * nobody serves it (a caller asked, ring {@code o}). PostgreSQL lets go of a dead engine's locks as its backend ends,
 * so a survivor takes over its databases within moments, and runs the calls they queued meanwhile.
 */
final class Doorbell {
  private static final Logger LOG = LoggerFactory.getLogger(Doorbell.class);
  static final String CHANNEL = dev.iasql.engine.Engine.DOORBELL_CHANNEL;
  private static final int POLL_MILLIS = 500;
  /** How often an engine tries to take the databases another engine serves: when that one dies, it takes over. */
  private static final long RETRY_MILLIS = 1_000;
  private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS);
  private static final Duration PRESENCE_WAIT = Duration.ofSeconds(10);
  private static final Properties DRIVER_PROPERTIES = new Properties();

  static {
    DRIVER_PROPERTIES.setProperty("socketFactory", ListenerSocketFactory.class.getName());
  }

  /** A database this engine serves. */
  private static final class Served {
    final AttachedDatabase database;
    final Worker worker;
    final long presenceKey;
    final Set<Long> queued = ConcurrentHashMap.newKeySet();
    volatile boolean stopped;
    /** This engine's session holds the database's presence lock. */
    volatile boolean present;
    /** The engine's port as last written to the database's config (see {@link #announce}); guarded by this. */
    @Nullable String announced;

    Served(AttachedDatabase database, Worker worker, long presenceKey) {
      this.database = database;
      this.worker = worker;
      this.presenceKey = presenceKey;
    }
  }

  private final AttachedDatabase metadata;
  private final Dispatcher workers;
  /** The engine's own port for calls, or null where the cluster cannot reach it (see {@link Wire}). */
  private final @Nullable Wire wire;
  /** Told that another engine created or dropped a database, or that one this engine does not know is wanted. */
  private final Runnable databasesChanged;
  /** Told the name of a database a caller found no engine serving, and which this engine does not serve yet. */
  private final Consumer<String> wanted;
  private final Map<String, Served> served = new ConcurrentHashMap<>();
  /** Bumped by every change of what is served; {@link #synced} says which the session's presence locks reflect. */
  private final AtomicLong changes = new AtomicLong();
  private long synced;
  private final Set<Long> held = new HashSet<>();
  private final ExecutorService takeovers = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "iasql-takeover");
    t.setDaemon(true);
    return t;
  });
  /** When the databases another engine serves are tried next; a caller's ring {@code o} brings it forward. */
  private long nextTry;
  /** When a caller's ring last made this engine compare its databases with the metadata database's list. */
  private long lastRefresh = System.nanoTime() - RETRY_NANOS;
  private final Thread thread;
  private volatile boolean stopped;
  private volatile boolean listening;
  private volatile Connection connection;
  private long lastIgnoredLog = System.nanoTime() - TimeUnit.MINUTES.toNanos(2);

  Doorbell(AttachedDatabase metadata, Dispatcher workers, @Nullable Wire wire, Runnable databasesChanged,
      Consumer<String> wanted) {
    this.metadata = metadata;
    this.workers = workers;
    this.wire = wire;
    this.databasesChanged = databasesChanged;
    this.wanted = wanted;
    this.thread = new Thread(this::run, "iasql-doorbell");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  boolean listening() {
    return listening;
  }

  Set<String> served() {
    return Set.copyOf(served.keySet());
  }

  /**
   * Serves {@code database} from now on, unless another engine does (then this one takes over when that one stops),
   * and waits (briefly) until its presence lock has been tried, so that a call right after attach finds an engine.
   * When this engine took it, its port is in the database's config on return ({@code c}, a session there), so that
   * the database's first call comes straight here.
   */
  void serve(AttachedDatabase database, long oid, Worker worker, Connection c) {
    long key = presenceKey(oid);
    Served s = new Served(database, worker, key);
    Served previous = served.put(database.name(), s);
    if (previous != null) {
      previous.stopped = true;
      if (wire != null) {
        wire.revoke(previous.worker);
      }
    }
    awaitSynced(changes.incrementAndGet());
    if (s.present) {
      announce(s, c);
    }
  }

  /**
   * Writes this engine's port for the database's calls into its config, unless it is there already: on serve, and on
   * a take-over, whichever comes first (the take-over's runs on a thread of its own, and must not land after what a
   * later writer wrote).
   */
  private void announce(Served s, Connection c) {
    if (wire == null) {
      return;
    }
    synchronized (s) {
      String conninfo = wire.conninfo(s.worker);
      if (s.stopped || conninfo.equals(s.announced)) {
        return;
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE iasql_engine.config SET engine_conninfo = ?")) {
        ps.setString(1, conninfo);
        ps.executeUpdate();
        s.announced = conninfo;
      } catch (SQLException e) {
        // Plumbing too old to have the column (its refresh failed): its calls take the queued route.
        LOG.warn("calls of {} take the queued route: {}", s.database, e.getMessage());
      }
    }
  }

  /** Serves {@code database} no more: no new call of it starts, and its presence lock goes. */
  void stop(String database) {
    Served s = served.remove(database);
    if (s != null) {
      s.stopped = true;
      if (wire != null) {
        wire.revoke(s.worker);
      }
      changes.incrementAndGet();
      wake();
    }
  }

  /** The advisory lock (bigint form) that says an engine serves the database of this oid. */
  static long presenceKey(long oid) {
    return ((long) BridgeSql.PRESENCE_CLASS << 32) | oid;
  }

  private void awaitSynced(long generation) {
    wake();
    long deadline = System.nanoTime() + PRESENCE_WAIT.toNanos();
    synchronized (this) {
      while (synced < generation && !stopped) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          LOG.warn("the doorbell has not taken a served database's presence lock after {} s; calls will wait for it",
              PRESENCE_WAIT.toSeconds());
          return;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** The listening session waits for notifications; one of ours makes it look at what changed now. */
  private void wake() {
    try (Connection c = metadata.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, 'w')")) {
      ps.setString(1, CHANNEL);
      ps.execute();
    } catch (SQLException e) {
      LOG.debug("could not wake the doorbell: {}", e.getMessage()); // it looks again within POLL_MILLIS
    }
  }

  /** Ends the session (and so every presence lock); returns at once, {@link #awaitStop} waits. */
  void requestStop() {
    stopped = true;
    served.values().forEach(s -> s.stopped = true);
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("closing the doorbell connection", e);
      }
    }
    thread.interrupt();
    takeovers.shutdownNow();
    synchronized (this) {
      notifyAll();
    }
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
      try (Connection c = metadata.dedicated().open(DRIVER_PROPERTIES)) {
        connection = c;
        c.setAutoCommit(true);
        held.clear();
        served.values().forEach(s -> s.present = false);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
          s.execute("SELECT pg_advisory_lock_shared(" + BridgeSql.ENGINE_ALIVE_CLASS + ", "
              + BridgeSql.ENGINE_ALIVE_ID + ")");
        }
        syncPresence(c);
        LOG.info("listening for calls of {} databases", served.size());
        listening = true;
        backoff = 100;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!stopped) {
          PGNotification[] notes = pg.getNotifications(POLL_MILLIS);
          if (notes != null) {
            for (PGNotification n : notes) {
              ring(n);
            }
          }
          syncPresence(c);
        }
      } catch (SQLException | RuntimeException e) {
        if (stopped) {
          break;
        }
        LOG.warn("lost the doorbell connection: {}; reconnecting in {} ms", e.getMessage(), backoff);
        sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      } finally {
        listening = false;
        connection = null;
        // The presence locks went with the session: another engine may serve these databases now.
        if (wire != null) {
          wire.revokeAll();
        }
      }
    }
    LOG.info("stopped listening for calls");
  }

  /**
   * Holds the presence lock of every served database it can get and of no other, on this session. The ones another
   * engine holds are tried again once {@link #nextTry} has come.
   */
  private void syncPresence(Connection c) throws SQLException {
    long generation = changes.get();
    if (generation == synced && (held.size() == served.size() || System.nanoTime() - nextTry < 0)) {
      return;
    }
    nextTry = System.nanoTime() + RETRY_NANOS;
    Set<Long> want = new HashSet<>();
    served.values().forEach(s -> want.add(s.presenceKey));
    Set<Long> take = new HashSet<>(want);
    take.removeAll(held);
    Set<Long> release = new HashSet<>(held);
    release.removeAll(want);
    if (!take.isEmpty()) {
      // Tried, not awaited: another engine may serve it, and a caller's try lets go at once.
      Set<Long> taken = locks(c, "SELECT k FROM unnest(?::bigint[]) k WHERE pg_try_advisory_lock(k)", take);
      held.addAll(taken);
      served.values().stream().filter(s -> taken.contains(s.presenceKey)).forEach(s -> s.present = true);
      served.values().stream().filter(s -> taken.contains(s.presenceKey)).forEach(this::takenOver);
    }
    if (!release.isEmpty()) {
      locks(c, "SELECT k FROM unnest(?::bigint[]) k WHERE pg_advisory_unlock(k)", release);

      held.removeAll(release);
    }
    synchronized (this) {
      synced = generation;
      notifyAll();
    }
  }

  private static Set<Long> locks(Connection c, String sql, Set<Long> keys) throws SQLException {
    Set<Long> done = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Array array = c.createArrayOf("bigint", keys.toArray());
      ps.setArray(1, array);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          done.add(rs.getLong(1));
        }
      }
    }
    return done;
  }

  /**
   * Runs what the database queued while no engine served it (its callers, if still there, ring again too), and
   * finishes what nobody else will. On a thread of its own, one database after the other (an engine that starts takes
   * all its databases at once): the doorbell's thread only listens.
   */
  private void takenOver(Served s) {
    LOG.info("serving {}", s.database);
    try {
      takeovers.execute(() -> {
        try (Connection c = s.database.dedicated().open(new Properties())) {
          // From now on its calls come straight to this engine's port (see call_direct in bridge.sql).
          announce(s, c);
          for (long id : Sweeps.pending(c)) {
            submit(s, id);
          }
          Sweeps.sweep(c);
        } catch (SQLException | RuntimeException e) {
          LOG.warn("could not look for the calls {} queued: {}", s.database.name(), e.getMessage());
        }
      });
    } catch (RejectedExecutionException e) {
      // shutting down
    }
  }

  /**
   * A ring: {@code kind:id:database}, kind {@code r} (a request) or {@code c} (a cancel); {@code o} (id 0) says a
   * caller found no engine serving the database, {@code d} (id 0) that an engine created or dropped it; {@code w}
   * only wakes us.
   */
  private void ring(PGNotification n) {
    String payload = n.getParameter();
    if ("w".equals(payload)) {
      return;
    }
    String[] parts = payload == null ? new String[0] : payload.split(":", 3);
    if (parts.length == 3 && parts[1].equals("0") && (parts[0].equals("o") || parts[0].equals("d"))) {
      // An o for a database this engine has not attached: created a moment ago, or one it cannot attach, whose
      // callers ring every few ms while they wait; the compare is asked for at most once per RETRY_MILLIS then.
      long now = System.nanoTime();
      boolean unserved = !served.containsKey(parts[2]);
      if (parts[0].equals("o") && unserved) {
        wanted.accept(parts[2]); // ahead of the databases a start is still attaching
      }
      if (parts[0].equals("d") || unserved && now - lastRefresh > RETRY_NANOS) {
        lastRefresh = now;
        databasesChanged.run();
      }
      nextTry = System.nanoTime(); // try now: its engine may be gone
      return;
    }
    long id = parts.length == 3 ? requestId(parts[1]) : 0;
    if (id <= 0 || !(parts[0].equals("r") || parts[0].equals("c"))) {
      ignored(n);
      return;
    }
    Served s = served.get(parts[2]);
    if (s == null) {
      return; // a database this engine does not know
    }
    if (parts[0].equals("c")) {
      s.worker.cancel(id); // only if it runs here: it may have started before this session lost the lock
    } else if (held.contains(s.presenceKey)) {
      submit(s, id);
    } // else another engine serves it
  }

  private void submit(Served s, long id) {
    if (!s.queued.add(id)) {
      return; // rung again while queued or running
    }
    try {
      workers.submit(s.database.name(), () -> {
        try {
          if (!s.stopped) {
            s.worker.run(id);
          }
        } finally {
          s.queued.remove(id);
        }
      });
    } catch (RejectedExecutionException e) {
      s.queued.remove(id); // shutting down: the caller sees the engine leave
    }
  }

  /**
   * The request id a ring carries, or 0 when it carries none. Whoever may notify in the metadata database may send
   * any payload: a bad one must not cost the doorbell its session.
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
      LOG.warn("ignored a notification on {} that is not a ring: \"{}\" (from backend {})",
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

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
