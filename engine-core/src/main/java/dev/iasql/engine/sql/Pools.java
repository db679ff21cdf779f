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

  public DataSource forDatabase(String database) {
    return pools.computeIfAbsent(database, this::open);
  }

  private HikariDataSource open(String database) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("iasql-" + database);
    config.setJdbcUrl(cluster.jdbcUrl(database));
    config.setUsername(cluster.adminUser());
    config.setPassword(cluster.adminPassword());
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
