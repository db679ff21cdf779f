package dev.iasql.engine.guard;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.DatabaseName;
import dev.iasql.engine.upgrade.BypassToken;

/**
 * Proof that a guarded operation may run on one database now: it was not upgrading and its release was supported when
 * the permit was issued. Bound to the engine that issued it and to that release: used elsewhere or after the release
 * changed, it is refused. Every guarded operation takes one as its first parameter; there is no overload without it and
 * no boolean to skip the check. Only {@link Guard} can make one: from the database's state, or from the bypass token
 * that only an open upgrade lease mints.
 */
public final class Permit {
  private final DatabaseName database;
  private final String release;
  private final Grant grant;
  private final Guard issuer;

  Permit(DatabaseName database, String release, Grant grant, Guard issuer) {
    this.database = requireNonNull(database, "database is null");
    this.release = requireNonNull(release, "release is null");
    this.grant = requireNonNull(grant, "grant is null");
    this.issuer = requireNonNull(issuer, "issuer is null");
  }

  /** The guard of the engine that issued it: another engine's permit is no proof for this one. */
  Guard issuer() {
    return issuer;
  }

  Grant grant() {
    return grant;
  }

  /** Where a permit came from, which decides how {@link Guard#check} re-validates it when it is used. */
  sealed interface Grant permits Ordinary, Bypass {}

  /** From the guard, while the database was idle: valid while it still is. */
  record Ordinary() implements Grant {}

  /** From an upgrade lease's token: valid while that lease is open. */
  record Bypass(BypassToken token) implements Grant {}

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
