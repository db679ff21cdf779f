package dev.iasql.engine.guard;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.DatabaseName;

/**
 * Proof that a guarded operation may run on one database now: it was not upgrading and its release was supported when
 * the permit was issued. Every guarded operation takes one as its first parameter; there is no overload without it and
 * no boolean to skip the check. Only {@link Guard} (and, for the upgrade, its lease) can make one.
 */
public final class Permit {
  private final DatabaseName database;
  private final String release;

  Permit(DatabaseName database, String release) {
    this.database = requireNonNull(database, "database is null");
    this.release = requireNonNull(release, "release is null");
  }

  public DatabaseName database() {
    return database;
  }

  public String release() {
    return release;
  }

  @Override
  public String toString() {
    return "Permit[" + database + " at " + release + "]";
  }
}
