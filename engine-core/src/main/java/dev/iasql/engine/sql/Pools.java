package dev.iasql.engine.sql;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import dev.iasql.engine.Cluster;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One small connection pool per database, opened on first use and closed when the engine stops serving it. A pool
 * never spans databases, so no connection state (search_path, prepared statements) crosses tenants.
 *
 * <p>An engine serves many databases, most of them idle: a pool whose connections have all been idle for {@link
 * #LINGER} closes them (Hikari's own idle timeout is 10 s at least, checked every 30 s), and every pool shares one
 * housekeeping thread (Hikari starts one per pool otherwise). An idle database then costs no backend and no thread.
 */
public final class Pools implements AutoCloseable {
  /** How long a pool keeps connections nobody uses: a burst of calls reuses them, an idle database has none. */
  public static final Duration LINGER = Duration.ofSeconds(3);
  /**
   * The engine's share of the sessions a cluster's users may open: a third. The rest is the tenants': each session
   * of a tenant that calls the engine costs three (its own, its bridge loopback and its ring into the doorbell).
   */
  public static final int ENGINE_SHARE_PERCENT = 33;
  /** Fewer sessions than this and the engine cannot work (doorbell, metadata, a call and its progress). */
  public static final int MIN_SESSIONS = 6;
  /**
   * How long a session waiting for room in the share waits before it closes one more idle pool's connections: a
   * closed connection gives its permit back within milliseconds, and closing a second pool meanwhile would cost that
   * database a login for nothing.
   */
  private static final long ROOM_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  /** How long opening a session waits, by default, for the engine's share to have room, or for its turn to log in. */
  public static final Duration WAIT_FOR_ROOM = Duration.ofSeconds(10);
  /**
   * Logins in progress at once. Each costs PostgreSQL a process and a password check (SCRAM's thousands of hash
   * rounds, on both ends): 200 databases busy at once opened 200 at a time, every one of them outlasted its 10 s
   * login timeout on two cores, and no call was served. A few at a time finish in milliseconds each.
   */
  public static final int LOGINS_AT_ONCE = 4;
  /** A wait for a turn to log in that the log reports. */
  private static final long SLOW_TURN_MILLIS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(Pools.class);

  /** Opens one physical connection. */
  @FunctionalInterface
  public interface Opener {
    Connection open() throws SQLException;
  }

  /**
   * Every session the engine has open counts against its share ({@link #limit}); unlimited until set. The admin's
   * pools (the metadata database, which every call's guard reads, and {@code postgres}) have a part of the share of
   * their own: a worker holds its database's connection while it reads the guard, so with one budget for all, busy
   * databases could take every session and each wait for the metadata connection that none could open.
   */
  private volatile Budget general = new Budget(Integer.MAX_VALUE, LOGINS_AT_ONCE);
  private volatile Budget reserved = new Budget(Integer.MAX_VALUE, 2);
  private volatile int share = Integer.MAX_VALUE;

  /**
   * Sessions that may be open at once, the permits of those that are, and of the logins in progress: each part of the
   * share logs in on its own, so that the metadata's sessions never wait behind a storm of the databases' logins.
   */
  private record Budget(int size, Semaphore permits, Semaphore logins) {
    Budget(int size, int loginsAtOnce) {
      this(size, new Semaphore(size), new Semaphore(loginsAtOnce, true));
    }
  }

  /** Which part of the share a pool's sessions count against: the admin's pools have one of their own. */
  private enum Part {
    DATABASES, ADMIN
  }

  /**
   * A database's pool, the part of the share it counts against, and when it last had a connection given back or
   * opened one (nanoTime).
   */
  private record Pooled(HikariDataSource pool, Part part, AtomicLong lastUsed) {
    boolean idle() {
      HikariPoolMXBean bean = pool.getHikariPoolMXBean();
      return bean != null && bean.getActiveConnections() == 0 && bean.getTotalConnections() > 0;
    }
  }

  private final Cluster cluster;
  private final int maxPerDatabase;
  private final long waitMillis;
  private final ConcurrentMap<String, Pooled> pools = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor housekeeping = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "iasql-pools");
    t.setDaemon(true);
    return t;
  });

  public Pools(Cluster cluster, int maxPerDatabase) {
    this(cluster, maxPerDatabase, WAIT_FOR_ROOM, LINGER);
  }

  /** With {@code waitForRoom} instead of {@link #WAIT_FOR_ROOM} and {@code linger} instead of {@link #LINGER}. */
  public Pools(Cluster cluster, int maxPerDatabase, Duration waitForRoom, Duration linger) {
    this.cluster = requireNonNull(cluster, "cluster is null");
    this.maxPerDatabase = maxPerDatabase;
    this.waitMillis = waitForRoom.toMillis();
    housekeeping.setRemoveOnCancelPolicy(true);
    long lingerNanos = linger.toNanos();
    ScheduledFuture<?> unused = housekeeping.scheduleWithFixedDelay(() -> releaseIdle(lingerNanos), 500, 500,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Closes the connections of every pool that has given none back (nor opened one) for {@code lingerNanos} and has
   * none in use. Idle is measured from the last return, not from when this tick first saw no connection in use: a
   * database called every 20 ms is idle at almost every tick, and closing its pool whenever six ticks in a row found
   * it between calls made it log in again every 3 s.
   */
  private void releaseIdle(long lingerNanos) {
    long now = System.nanoTime();
    pools.values().forEach(p -> {
      if (p.idle() && now - p.lastUsed().get() >= lingerNanos) {
        p.pool().getHikariPoolMXBean().softEvictConnections();
      }
    });
  }

  /**
   * Makes room in a full part of the share: closes the connections of the one pool of that part that gave a connection
   * back longest ago and has none in use, and returns whether there was one. A database that called a moment ago keeps
   * its connection: it will likely call again, and a new login costs it more than this wait costs another. (Closing
   * every idle pool at once made 200 busy databases take each other's connections in turn, each then waiting for a
   * login again.)
   */
  private boolean closeLongestIdle(Part part) {
    Pooled longest = null;
    for (Pooled p : pools.values()) {
      if (p.part() == part && p.idle()
          && (longest == null || p.lastUsed().get() - longest.lastUsed().get() < 0)) {
        longest = p;
      }
    }
    if (longest == null) {
      return false;
    }
    longest.pool().getHikariPoolMXBean().softEvictConnections();
    return true;
  }

  /**
   * At most {@code sessions} sessions open at once, pooled or not, of which {@link #reserve} are the admin pools'
   * only; set once, before any is opened.
   */
  public void limit(int sessions) {
    int reserve = reserve(sessions);
    this.share = sessions;
    this.reserved = new Budget(reserve, 2);
    this.general = new Budget(sessions - reserve, LOGINS_AT_ONCE);
  }

  /** The part of a share of {@code sessions} that only the admin's pools use: at least 2, at most a pool's size. */
  public int reserve(int sessions) {
    return Math.min(maxPerDatabase, Math.max(2, sessions / 8));
  }

  /** The most sessions the engine opens at once. */
  public int share() {
    return share;
  }

  /**
   * Opens a session that counts against the engine's share until it is closed. When the share is all in use, it
   * waits a bounded time for room, closing meanwhile the connections of idle pools, one pool at a time and the longest
   * idle first.
   */
  public Connection counted(Opener opener) throws SQLException {
    return counted(Part.DATABASES, "a dedicated session", opener);
  }

  private Connection counted(Part part, String database, Opener opener) throws SQLException {
    Budget budget = part == Part.ADMIN ? reserved : general;
    Semaphore b = budget.permits();
    if (!b.tryAcquire()) {
      // One pool's connections at a time, the longest idle first, while the wait lasts: a closed connection gives its
      // permit back a moment later, on the pool's own thread.
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
      try {
        while (true) {
          closeLongestIdle(part);
          long left = deadline - System.nanoTime();
          if (b.tryAcquire(Math.max(0, Math.min(left, ROOM_SLICE_NANOS)), TimeUnit.NANOSECONDS)) {
            break;
          }
          if (left <= ROOM_SLICE_NANOS) {
            throw new SQLTransientConnectionException("the engine's " + budget.size() + " sessions"
                + (budget == reserved ? " for its metadata" : "") + " (its share of the cluster's connections) are"
                + " all in use after " + seconds(waitMillis) + " s", "53300");
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLTransientConnectionException("interrupted while waiting for a session", "57014", e);
      }
    }
    Connection c;
    try {
      c = login(budget.logins(), database, opener);
    } catch (SQLException | RuntimeException e) {
      b.release();
      throw e;
    }
    return released(c, b);
  }

  /** Opens a session once fewer than {@link #LOGINS_AT_ONCE} are being opened, waiting a bounded time for that. */
  private Connection login(Semaphore logins, String database, Opener opener) throws SQLException {
    long asked = System.nanoTime();
    try {
      if (!logins.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
        throw new SQLTransientConnectionException("the engine's logins to PostgreSQL are all still in progress after "
            + seconds(waitMillis) + " s", "08001");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLTransientConnectionException("interrupted while waiting to log in", "57014", e);
    }
    long turn = System.nanoTime();
    try {
      return opener.open();
    } finally {
      logins.release();
      long waited = TimeUnit.NANOSECONDS.toMillis(turn - asked);
      if (waited >= SLOW_TURN_MILLIS) {
        // A storm of logins (hundreds of databases calling at once after a start) shows here, not as slow calls only.
        LOG.info("logged into {} after waiting {} ms for its turn to log in, and {} ms to log in", database, waited,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - turn));
      }
    }
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
  }

  /** The connection, giving its permit back once when it is closed or aborted. */
  private static Connection released(Connection c, Semaphore b) {
    AtomicBoolean back = new AtomicBoolean();
    return (Connection) Proxy.newProxyInstance(Pools.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          String name = method.getName();
          try {
            return method.invoke(c, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          } finally {
            if ((name.equals("close") || name.equals("abort")) && back.compareAndSet(false, true)) {
              b.release();
            }
          }
        });
  }

  /** Admin connections: for the metadata and maintenance databases only; they have sessions of their own. */
  public DataSource forDatabase(String database) {
    return forDatabase(database, cluster.adminUser(), cluster.adminPassword(), Part.ADMIN);
  }

  /**
   * Connections to a database as one login. A database has one pool, opened with the login first asked for: a user
   * database's is its owner role's (see the engine), and the admin never works there through a pool.
   */
  public DataSource forDatabase(String database, String user, String password) {
    return forDatabase(database, user, password, Part.DATABASES);
  }

  private DataSource forDatabase(String database, String user, String password, Part part) {
    HikariDataSource pool = pools.computeIfAbsent(database, db -> open(db, user, password, part)).pool();
    if (!pool.getUsername().equals(user)) {
      throw new IllegalStateException("the pool of " + database + " logs in as " + pool.getUsername() + ", not "
          + user);
    }
    return pool;
  }

  public int maxPerDatabase() {
    return maxPerDatabase;
  }

  private Pooled open(String database, String user, String password, Part part) {
    AtomicLong lastUsed = new AtomicLong(System.nanoTime());
    HikariConfig config = new HikariConfig();
    config.setPoolName("iasql-" + database);
    config.setUsername(user);
    config.setPassword(password);
    // Hikari opens its connections here, so that each counts against the engine's share.
    String url = cluster.jdbcUrl(database);
    config.setDataSource(new CountedDataSource(url, opener -> {
      Connection c = counted(part, database, opener);
      // Just opened counts as just used: the linger's tick, between this login and the call that asked for it taking
      // it, closed it under that call when the pool's last return lay further back than the linger.
      lastUsed.set(System.nanoTime());
      return c;
    }));
    config.setMaximumPoolSize(maxPerDatabase);
    config.setMinimumIdle(0);
    config.setIdleTimeout(60_000);
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(-1);
    config.setScheduledExecutor(housekeeping);
    // Told each time a connection goes back to the pool: when the share is full, the pool used longest ago yields.
    config.setMetricsTrackerFactory((name, stats) -> new IMetricsTracker() {
      @Override
      public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
        lastUsed.set(System.nanoTime());
      }
    });
    return new Pooled(new HikariDataSource(config), part, lastUsed);
  }

  /** Closes and forgets the pool of one database; its connections end. */
  public void close(String database) {
    Pooled p = pools.remove(database);
    if (p != null) {
      p.pool().close();
    }
  }

  @Override
  public void close() {
    pools.keySet().forEach(this::close);
    housekeeping.shutdownNow();
  }
}
