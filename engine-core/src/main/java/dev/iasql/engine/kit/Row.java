package dev.iasql.engine.kit;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.spi.RowClaim;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One row of a kit table, or one cloud resource in the same shape: values by column name (a missing column is NULL),
 * a reference by the other resource's cloud id. Immutable.
 *
 * <pre>{@code
 * Row group = Row.in("us-east-1").with("log_group_name", "app")
 *     .with("log_group_arn", "arn:aws:logs:us-east-1:123456789012:log-group:app");
 * }</pre>
 *
 * @param id the row id; null for values from the cloud
 * @param region the region of a regional table's row or resource; null for global tables
 * @param claim the row a resource was created for, read back from its tag ({@link CrashSafety.Kind#ROW_TAG}); never
 *     compared
 * @param awaiting for a DB row: a reference to a row that has no cloud id yet, which create waits for; else null
 */
public record Row(@Nullable Integer id, @Nullable String region, Map<String, Object> values,
    @Nullable RowClaim claim, @Nullable String awaiting) {
  public Row {
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
    requireNonNull(values, "values is null").forEach((k, v) -> {
      if (v != null) {
        copy.put(requireNonNull(k, "column is null"), v);
      }
    });
    values = Collections.unmodifiableMap(copy);
  }

  /** An empty cloud value of a region (null for a global table). */
  public static Row in(@Nullable String region) {
    return new Row(null, region, Map.of(), null, null);
  }

  /** The value of a column, or null. */
  public @Nullable Object get(String column) {
    return values.get(column);
  }

  /** The value of a text column, or null. */
  public @Nullable String text(String column) {
    return (String) values.get(column);
  }

  /** This value with one column set; null clears it. */
  public Row with(String column, @Nullable Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(values);
    if (value == null) {
      copy.remove(column);
    } else {
      copy.put(column, value);
    }
    return new Row(id, region, copy, claim, awaiting);
  }

  /** This value, claimed by a row: what a create that tags returns. */
  public Row claimedBy(@Nullable RowClaim by) {
    return new Row(id, region, values, by, awaiting);
  }

  /** The same values in another region. */
  public Row inRegion(@Nullable String other) {
    return new Row(id, other, values, claim, awaiting);
  }
}
