package dev.iasql.engine.sql;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.iasql.engine.Cluster;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

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
  private final Cluster cluster;
  private final int maxPerDatabase;
  private final ConcurrentMap<String, HikariDataSource> pools = new ConcurrentHashMap<>();
  /** Per pool, since when it has had connections and none in use (absent while in use or empty). */
  private final Map<String, Long> idleSince = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor housekeeping = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "iasql-pools");
    t.setDaemon(true);
    return t;
  });

  public Pools(Cluster cluster, int maxPerDatabase) {
    this.cluster = requireNonNull(cluster, "cluster is null");
    this.maxPerDatabase = maxPerDatabase;
    housekeeping.setRemoveOnCancelPolicy(true);
    ScheduledFuture<?> unused = housekeeping.scheduleWithFixedDelay(() -> releaseIdle(LINGER.toNanos()), 500, 500,
        TimeUnit.MILLISECONDS);
  }

  /** Closes the connections of every pool that has used none for {@code linger} (now, for zero). */
  private void releaseIdle(long lingerNanos) {
    long now = System.nanoTime();
    pools.forEach((db, pool) -> {
      HikariPoolMXBean bean = pool.getHikariPoolMXBean();
      if (bean == null || bean.getActiveConnections() > 0 || bean.getTotalConnections() == 0) {
        idleSince.remove(db);
        return;
      }
      long since = idleSince.computeIfAbsent(db, d -> now);
      if (now - since >= lingerNanos) {
        bean.softEvictConnections();
        idleSince.remove(db);
      }
    });
  }

  /** Admin connections: for the metadata and maintenance databases only. */
  public DataSource forDatabase(String database) {
    return forDatabase(database, cluster.adminUser(), cluster.adminPassword());
  }

  /**
   * Connections to a database as one login. A database has one pool, opened with the login first asked for: a user
   * database's is its owner role's (see the engine), and the admin never works there through a pool.
   */
  public DataSource forDatabase(String database, String user, String password) {
    HikariDataSource pool = pools.computeIfAbsent(database, db -> open(db, user, password));
    if (!pool.getUsername().equals(user)) {
      throw new IllegalStateException("the pool of " + database + " logs in as " + pool.getUsername() + ", not "
          + user);
    }
    return pool;
  }

  public int maxPerDatabase() {
    return maxPerDatabase;
  }

  private HikariDataSource open(String database, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("iasql-" + database);
    config.setJdbcUrl(cluster.jdbcUrl(database));
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(maxPerDatabase);
    config.setMinimumIdle(0);
    config.setIdleTimeout(60_000);
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(-1);
    config.setScheduledExecutor(housekeeping);
    config.addDataSourceProperty("ApplicationName", "iasql-engine");
    config.addDataSourceProperty("tcpKeepAlive", "true");
    return new HikariDataSource(config);
  }

  /** Closes and forgets the pool of one database; its connections end. */
  public void close(String database) {
    HikariDataSource pool = pools.remove(database);
    idleSince.remove(database);
    if (pool != null) {
      pool.close();
    }
  }

  @Override
  public void close() {
    pools.keySet().forEach(this::close);
    housekeeping.shutdownNow();
  }
}
