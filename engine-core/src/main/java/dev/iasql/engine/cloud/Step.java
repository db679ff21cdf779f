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
record Step(Change change, int level, Phase phase, @Nullable CloudCall cloud, DbWrite db) {
  enum Phase {
    /** Only the DB changes (sync, or apply restoring cloud-owned rows and fields). */
    DB,
    /** Creates, updates and replacements, by dependency level upwards. */
    CREATE,
    /** Deletes, by dependency level downwards. */
    DELETE
  }

  @FunctionalInterface
  interface CloudCall {
    @Nullable Object run(CloudContext ctx);
  }

  /** Records a step's result; returns the id of a row it inserted (so the change can name it), else null. */
  @FunctionalInterface
  interface DbWrite {
    DbWrite NONE = (c, result) -> null;

    @Nullable Integer write(Connection c, @Nullable Object cloudResult) throws SQLException;
  }
}
