package dev.iasql.engine.kit;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A column referring to a row of another table ({@code integer}, a foreign key to its {@code id}). In a {@link Row}
 * its value is the other resource's cloud id, as the cloud names it (a {@code vpc-…}), so rows and resources compare
 * directly; the kit resolves it to the row id on write and back on read, within the row's region for regional tables.
 *
 * @param column the referring column
 * @param table the referred table
 * @param cloudIdColumn the referred table's column holding the cloud id
 * @param foreignKey the foreign key's name, such as IaSQL's {@code FK_…}; null for PostgreSQL's default name
 * @param defaultedByCloud a NULL means "the cloud's default" (a group without a VPC goes into the default VPC): the
 *     row takes the one the cloud picked, no change
 */
public record Reference(String column, String table, String cloudIdColumn, @Nullable String foreignKey,
    boolean nullable, boolean defaultedByCloud) {
  public Reference {
    requireNonNull(column, "column is null");
    requireNonNull(table, "table is null");
    requireNonNull(cloudIdColumn, "cloudIdColumn is null");
  }

  /** A reference that may be NULL. */
  public static Reference to(String column, String table, String cloudIdColumn) {
    return new Reference(column, table, cloudIdColumn, null, true, false);
  }

  public Reference notNull() {
    return new Reference(column, table, cloudIdColumn, foreignKey, false, defaultedByCloud);
  }

  public Reference named(String foreignKey) {
    return new Reference(column, table, cloudIdColumn, requireNonNull(foreignKey, "foreignKey is null"), nullable,
        defaultedByCloud);
  }

  /** NULL means the cloud's default: the row is filled in with the resource the cloud picked. */
  public Reference cloudPicksDefault() {
    return new Reference(column, table, cloudIdColumn, foreignKey, nullable, true);
  }
}
