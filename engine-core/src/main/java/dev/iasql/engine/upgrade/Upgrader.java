package dev.iasql.engine.upgrade;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.Call;
import dev.iasql.engine.DatabaseName;
import dev.iasql.engine.Engine;
import dev.iasql.engine.UpgradeResult;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.guard.Guard;
import dev.iasql.engine.guard.Permit;
import dev.iasql.engine.release.ReleaseCatalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one database to the latest release: take the lease, migrate every module's schema in place in one
 * transaction (step 1), load what needs the cloud with the lease's bypass token (step 2), then record the new release
 * and let the guard issue permits again. Each step can run again: after a crash, the next call resumes where the state
 * says it stopped, and the database is never reported at the new release before both steps are done.
 */
public final class Upgrader {
  private static final Logger LOG = LoggerFactory.getLogger(Upgrader.class);

  private final Guard guard;
  private final ReleaseCatalog releases;
  private final DataSource metadata;

  /** Only the engine builds its upgrader (see {@link Guard#Guard}): host code cannot hand it steps of its own. */
  public Upgrader(Engine.Internal proof, Guard guard, ReleaseCatalog releases, DataSource metadata) {
    requireNonNull(proof, "only the engine builds an upgrader");
    this.guard = requireNonNull(guard, "guard is null");
    this.releases = requireNonNull(releases, "releases is null");
    this.metadata = requireNonNull(metadata, "metadata is null");
  }

  /** Opens an unpooled admin connection to the database being upgraded. */
  @FunctionalInterface
  public interface Connections {
    Connection open() throws SQLException;
  }

  /** What the engine does for each step; the upgrader decides when, under the lease. */
  public interface Steps {
    /** Step 1: migrate the schema of every installed module, in one transaction; returns the modules moved. */
    List<String> migrateSchema(String fromRelease, String toRelease, Call.Progress progress) throws SQLException;

    /** Step 2: the work that needs the cloud (loading regions), under a permit only the lease can give. */
    void withCloud(Permit permit, Call.Progress progress);

    /**
     * Before the new release is recorded: checks that the database's tables are that release's, and throws if not
     * (nothing is recorded then, and the database stays refused until an upgrade succeeds).
     */
    void validate(String toRelease) throws SQLException;
  }

  /**
   * Upgrades the database from {@code fromRelease} (what the metadata records) to the latest release.
   *
   * @param upgradeState the database's upgrade state as recorded: {@code idle}, or {@code upgrading} after a crash
   */
  public UpgradeResult upgrade(DatabaseName db, String fromRelease, String upgradeState, Connections connections,
      Steps steps, Call call) {
    String to = releases.latest();
    Call.Progress progress = line -> {
      LOG.info("upgrade {}: {}", db, line);
      call.progress().report(line);
    };
    if (fromRelease.equals(to) && "idle".equals(upgradeState)) {
      progress.report("database " + db + " is already at the latest release " + to);
      return new UpgradeResult(db.value(), fromRelease, to, List.of());
    }
    if (!releases.upgradable(fromRelease)) {
      throw EngineException.withHint(ErrorCode.RELEASE_NOT_SUPPORTED, "database \"" + db + "\" is at release "
          + fromRelease + ", which is too old for this engine to upgrade",
          "upgrade it with an engine that still supports " + fromRelease + " first; this one supports "
              + String.join(", ", releases.known()));
    }
    try (UpgradeLease lease = UpgradeLease.acquire(connections, metadata, db, to)) {
      call.cancellation().throwIfCancelled();
      progress.report(("upgrading".equals(upgradeState) ? "resuming the upgrade of " : "upgrading ") + db + " from "
          + fromRelease + " to " + to);
      lease.step(1);
      List<String> moved = steps.migrateSchema(fromRelease, to, progress);
      call.cancellation().throwIfCancelled();
      lease.step(2);
      steps.withCloud(guard.bypass(lease.token()), progress);
      steps.validate(to);
      lease.finish();
      progress.report("database " + db + " is at release " + to + " (" + moved.size() + " modules moved)");
      return new UpgradeResult(db.value(), fromRelease, to, moved);
    } catch (SQLException e) {
      throw new EngineException(ErrorCode.INTERNAL_ERROR, "the upgrade of " + db + " stopped: " + e.getMessage(),
          null, "call iasql_upgrade() again: it resumes where this one stopped", e);
    }
  }
}
