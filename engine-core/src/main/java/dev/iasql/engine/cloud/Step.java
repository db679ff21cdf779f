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

  @FunctionalInterface
  interface DbWrite {
    DbWrite NONE = (c, result) -> {};

    void write(Connection c, @Nullable Object cloudResult) throws SQLException;
  }
}
