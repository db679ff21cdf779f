package dev.iasql.engine.upgrade;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.DatabaseName;

/**
 * Lets the upgrade run guarded work (loading regions from the cloud) on the one database it is upgrading, while the
 * guard refuses everybody else. Minted only by an open {@link UpgradeLease}, bound to its database and lease, and dead
 * once the lease closes. The constructor is package-private: no code outside this package can make one.
 */
public final class BypassToken {
  private final DatabaseName database;
  private final String release;
  private final UpgradeLease lease;

  BypassToken(DatabaseName database, String release, UpgradeLease lease) {
    this.database = requireNonNull(database, "database is null");
    this.release = requireNonNull(release, "release is null");
    this.lease = requireNonNull(lease, "lease is null");
  }

  public DatabaseName database() {
    return database;
  }

  /** The release the database is being moved to. */
  public String release() {
    return release;
  }

  /** Whether the lease that minted this token is still open. */
  public boolean live() {
    return lease.open();
  }

  @Override
  public String toString() {
    return "BypassToken[" + database + ", " + (live() ? "live" : "dead") + "]";
  }
}
