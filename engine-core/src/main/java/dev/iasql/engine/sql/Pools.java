package dev.iasql.engine.sql;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.iasql.engine.Cluster;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.sql.DataSource;

/**
 * One small admin connection pool per database, opened on first use and closed when the engine stops serving it. A
 * pool never spans databases, so no connection state (search_path, prepared statements) crosses tenants.
 */
public final class Pools implements AutoCloseable {
  private final Cluster cluster;
  private final int maxPerDatabase;
  private final ConcurrentMap<String, HikariDataSource> pools = new ConcurrentHashMap<>();

  public Pools(Cluster cluster, int maxPerDatabase) {
    this.cluster = requireNonNull(cluster, "cluster is null");
    this.maxPerDatabase = maxPerDatabase;
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
    config.addDataSourceProperty("ApplicationName", "iasql-engine");
    config.addDataSourceProperty("tcpKeepAlive", "true");
    return new HikariDataSource(config);
  }

  /** Closes and forgets the pool of one database; its connections end. */
  public void close(String database) {
    HikariDataSource pool = pools.remove(database);
    if (pool != null) {
      pool.close();
    }
  }

  @Override
  public void close() {
    pools.keySet().forEach(this::close);
  }
}
