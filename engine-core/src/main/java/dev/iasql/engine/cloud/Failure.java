package dev.iasql.engine.cloud;

import dev.iasql.engine.Change;
import dev.iasql.engine.spi.CloudException;
import org.jspecify.annotations.Nullable;

/** A step that failed in a round, with what the cloud said; {@code waiting} when it only waits for another row. */
record Failure(Change change, String message, @Nullable CloudException cloud, boolean waiting) {
  String line() {
    return change.tableName() + (change.id() == null ? "" : " " + change.id()) + " (" + change.description() + "): "
        + change.action() + ": " + message;
  }
}
