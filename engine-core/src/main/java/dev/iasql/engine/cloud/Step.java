package dev.iasql.engine.cloud;

import dev.iasql.engine.Change;
import dev.iasql.engine.spi.CloudContext;
import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * One planned change: an optional cloud call (run in parallel with the other steps of its level) and the DB write
 * that records its result (run afterwards, on the operation's connection).
 */
record Step(Change change, int level, Phase phase, @Nullable CloudCall cloud, DbWrite db, @Nullable Prepare prepare) {
  Step(Change change, int level, Phase phase, @Nullable CloudCall cloud, DbWrite db) {
    this(change, level, phase, cloud, db, null);
  }

  /** Whether the step changes only the DB: no cloud call, now or once prepared. */
  boolean dbOnly() {
    return cloud == null && prepare == null;
  }

  enum Phase {
    /** Only the DB changes (sync, or apply restoring cloud-owned rows and fields). */
    DB,
    /**
     * The first half of replacements: the old resources go, by dependency level downwards, so that a resource goes
     * after the ones that refer to it (and are replaced with it). The second half is a {@link #CREATE} of the same
     * change.
     */
    TEARDOWN,
    /** Creates, updates and replacements, by dependency level upwards. */
    CREATE,
    /** Deletes, by dependency level downwards. */
    DELETE
  }

  @FunctionalInterface
  interface CloudCall {
    @Nullable Object run(CloudContext ctx);
  }

  /**
   * Makes a step's cloud call from the DB as it is when the step's level runs, not as the round read it: a resource
   * made again after the one it refers to was replaced must name the new one, whose id the level before wrote.
   */
  @FunctionalInterface
  interface Prepare {
    CloudCall prepare(Connection c) throws SQLException;
  }

  /** Records a step's result; returns the id of a row it inserted (so the change can name it), else null. */
  @FunctionalInterface
  interface DbWrite {
    DbWrite NONE = (c, result) -> null;

    @Nullable Integer write(Connection c, @Nullable Object cloudResult) throws SQLException;
  }
}
