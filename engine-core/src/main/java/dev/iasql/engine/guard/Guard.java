package dev.iasql.engine.guard;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.DatabaseName;
import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.upgrade.BypassToken;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Issues permits. The state it checks lives in the metadata database, so it holds across threads, engine processes and
 * restarts: an upgrading database (or one whose upgrade stopped half way) gets no permit.
 */
public final class Guard {
  private final DataSource metadata;
  private final ReleaseCatalog releases;

  /**
   * Only the engine builds its guard: {@link Engine.Internal} has no constructor any other class can call, so host
   * code cannot make a guard (or an upgrader around one) of its own.
   */
  public Guard(Engine.Internal proof, DataSource metadata, ReleaseCatalog releases) {
    requireNonNull(proof, "only the engine builds a guard");
    this.metadata = requireNonNull(metadata, "metadata is null");
    this.releases = requireNonNull(releases, "releases is null");
  }

  /** A permit for one database, or the error that says why not. */
  public Permit permit(DatabaseName database) {
    State s = state(database);
    refuseUnlessIdle(database, s);
    if (!releases.supports(s.release())) {
      throw EngineException.withHint(
          ErrorCode.RELEASE_NOT_SUPPORTED,
          "database \"" + database + "\" is at release " + s.release() + ", which this engine no longer supports",
          "run SELECT iasql_upgrade(); to move it to release " + releases.latest());
    }
    return new Permit(database, s.release(), new Permit.Ordinary(), this);
  }

  /** The permit an upgrade uses for its own guarded steps, while the guard refuses everybody else. */
  @SuppressWarnings("exports") // the token's package is the upgrade's own: no host can name the type
  public Permit bypass(BypassToken token) {
    if (!token.live()) {
      throw new EngineException(ErrorCode.INTERNAL_ERROR, "the upgrade lease of " + token.database() + " is closed");
    }
    return new Permit(token.database(), token.release(), new Permit.Bypass(token), this);
  }

  /**
   * Checks, when a permit is used, that it still holds: an ordinary permit issued before an upgrade began must not
   * run during it, and a bypass permit dies with its lease.
   */
  public void check(Permit permit) {
    if (permit.issuer() != this) {
      throw EngineException.withHint(ErrorCode.STALE_PERMIT, "this permit for database \"" + permit.database()
          + "\" was issued by another engine", "get a new permit from this engine: engine.permit(database)");
    }
    if (permit.grant() instanceof Permit.Bypass b) {
      if (!b.token().live() || !b.token().database().equals(permit.database())) {
        throw EngineException.withHint(ErrorCode.UPGRADE_IN_PROGRESS, "the upgrade of database \""
            + permit.database() + "\" that held this permit has ended", "ask the guard for a new permit");
      }
      return;
    }
    State s = state(permit.database());
    refuseUnlessIdle(permit.database(), s);
    if (!s.release().equals(permit.release())) {
      throw EngineException.withHint(ErrorCode.STALE_PERMIT, "this permit was issued for database \""
          + permit.database() + "\" at release " + permit.release() + ", which is now at release " + s.release(),
          "get a new permit: engine.permit(database)");
    }
  }

  private record State(String release, String upgradeState) {}

  private static void refuseUnlessIdle(DatabaseName database, State s) {
    if (!"idle".equals(s.upgradeState())) {
      throw EngineException.withHint(
          ErrorCode.UPGRADE_IN_PROGRESS,
          "database \"" + database + "\" is being upgraded (state: " + s.upgradeState() + ")",
          "wait for iasql_upgrade() to finish; if it stopped, call iasql_upgrade() again to resume");
    }
  }

  private State state(DatabaseName database) {
    String release;
    String state;
    try (Connection c = metadata.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT release, upgrade_state FROM iasql_database WHERE pg_name = ?"
                + " AND lifecycle = 'ready'")) {
      ps.setString(1, database.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new EngineException(
              ErrorCode.DATABASE_NOT_FOUND, "there is no IaSQL database named \"" + database + "\"");
        }
        release = rs.getString(1);
        state = rs.getString(2);
      }
    } catch (SQLException e) {
      throw new EngineException(ErrorCode.INTERNAL_ERROR, "cannot read the guard state: " + e.getMessage(), null,
          null, e);
    }
    return new State(release, state);
  }
}
