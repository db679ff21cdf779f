package dev.iasql.engine.upgrade;

import dev.iasql.engine.DatabaseName;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.sql.AdvisoryLocks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right to upgrade one database: a session advisory lock in that database, held on a connection of its own for the
 * whole upgrade, plus {@code upgrade_state = 'upgrading'} in the metadata database, which makes the guard refuse every
 * other call. If the upgrading process dies, PostgreSQL drops the lock with its session while the state stays, so the
 * database stays refused until the next {@code iasql_upgrade()} takes the lease and resumes.
 */
final class UpgradeLease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UpgradeLease.class);

  private final DatabaseName database;
  private final String targetRelease;
  private final Connection lock;
  private final DataSource metadata;
  private volatile boolean open = true;

  private UpgradeLease(DatabaseName database, String targetRelease, Connection lock, DataSource metadata) {
    this.database = database;
    this.targetRelease = targetRelease;
    this.lock = lock;
    this.metadata = metadata;
  }

  /** Takes the lease, or fails with UPGRADE_IN_PROGRESS when another session holds it. */
  static UpgradeLease acquire(Upgrader.Connections userDatabase, DataSource metadata, DatabaseName database,
      String targetRelease) throws SQLException {
    Connection c = userDatabase.open(); // unpooled: the lock must never outlive the lease on a reused connection
    try {
      c.setAutoCommit(true);
      if (!AdvisoryLocks.tryLock(c, AdvisoryLocks.Key.UPGRADE_LEASE)) {
        throw EngineException.withHint(ErrorCode.UPGRADE_IN_PROGRESS,
            "database \"" + database + "\" is already being upgraded by another session",
            "wait for that iasql_upgrade() to finish");
      }
      UpgradeLease lease = new UpgradeLease(database, targetRelease, c, metadata);
      lease.state("upgrading", 0);
      return lease;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  BypassToken token() {
    if (!open) {
      throw new IllegalStateException("the upgrade lease of " + database + " is closed");
    }
    return new BypassToken(database, targetRelease, this);
  }

  boolean open() {
    return open;
  }

  /** Records how far the upgrade got, for whoever looks (and for the next run, if this one dies). */
  void step(int step) throws SQLException {
    state("upgrading", step);
  }

  /** The database is at the target release: record it and let the guard issue permits again. */
  void finish() throws SQLException {
    try (Connection c = metadata.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE iasql_database SET release = ?, upgrade_state = 'idle',"
            + " upgrade_step = NULL WHERE pg_name = ?")) {
      ps.setString(1, targetRelease);
      ps.setString(2, database.value());
      ps.executeUpdate();
    }
  }

  private void state(String state, int step) throws SQLException {
    try (Connection c = metadata.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE iasql_database SET upgrade_state = ?, upgrade_step = ?"
            + " WHERE pg_name = ?")) {
      ps.setString(1, state);
      ps.setInt(2, step);
      ps.setString(3, database.value());
      ps.executeUpdate();
    }
  }

  /** Ends the lease: the token dies at once, the lock goes with the session. The state stays as the upgrade left it. */
  @Override
  public void close() {
    open = false;
    try {
      AdvisoryLocks.unlock(lock, AdvisoryLocks.Key.UPGRADE_LEASE);
    } catch (SQLException e) {
      LOG.warn("could not release the upgrade lock of {} (it goes with the session): {}", database, e.getMessage());
    }
    try {
      lock.close();
    } catch (SQLException e) {
      LOG.warn("could not close the upgrade lock's connection of {}", database, e);
    }
  }
}
