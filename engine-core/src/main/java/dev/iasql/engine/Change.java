package dev.iasql.engine;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One change apply or sync made, or a preview would make: the row of {@code iasql_apply()} and friends.
 *
 * @param action {@code create}, {@code update}, {@code replace} or {@code delete}; for sync, what happens to the DB row
 * @param tableName the table of the row
 * @param id the row's id, when it has one
 * @param description the resource's cloud id or name
 */
public record Change(String action, String tableName, @Nullable Integer id, String description) {
  public Change {
    requireNonNull(action, "action is null");
    requireNonNull(tableName, "tableName is null");
    requireNonNull(description, "description is null");
  }
}
