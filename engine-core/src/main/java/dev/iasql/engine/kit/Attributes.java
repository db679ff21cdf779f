package dev.iasql.engine.kit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Columns bound to entries of a resource's attribute map of strings ({@link TableSpec.Builder#attribute}), as SQS keeps
 * a queue's settings: one declaration serves create, update and read, each value converted by its column's type.
 */
final class Attributes {
  /** Types with one text form AWS and PostgreSQL agree on. */
  static final Set<ColumnType> BINDABLE = Set.of(ColumnType.TEXT, ColumnType.INTEGER, ColumnType.BIGINT,
      ColumnType.BOOLEAN, ColumnType.JSON);

  private Attributes() {}

  /** Every bound column a create sends (user and write-only ones) that has a value. */
  static Map<String, String> all(TableSpec spec, Row row) {
    Map<String, String> out = new LinkedHashMap<>();
    spec.attributeNames().forEach((column, attribute) -> {
      if (sent(spec, column) && row.get(column) != null) {
        out.put(attribute, String.valueOf(row.get(column)));
      }
    });
    return out;
  }

  /** The changed bound columns; a cleared one as the empty text, which AWS takes for "unset". */
  static Map<String, String> changed(TableSpec spec, Row row, Set<String> changed) {
    Map<String, String> out = new LinkedHashMap<>();
    spec.attributeNames().forEach((column, attribute) -> {
      if (sent(spec, column) && changed.contains(column)) {
        out.put(attribute, row.get(column) == null ? "" : String.valueOf(row.get(column)));
      }
    });
    return out;
  }

  /** The row with every readable bound column taken from the attributes; one absent or empty is NULL. */
  static Row read(TableSpec spec, Row row, Map<String, String> attributes) {
    Row out = row;
    for (Map.Entry<String, String> b : spec.attributeNames().entrySet()) {
      Column c = spec.column(b.getKey());
      if (c != null && c.readable()) {
        out = out.with(c.name(), value(c.type(), attributes.get(b.getValue())));
      }
    }
    return out;
  }

  private static boolean sent(TableSpec spec, String column) {
    Column c = spec.column(column);
    return c != null && c.role() != Role.CLOUD_ASSIGNED;
  }

  private static @Nullable Object value(ColumnType type, @Nullable String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    return switch (type) {
      case INTEGER -> Integer.valueOf(text);
      case BIGINT -> Long.valueOf(text);
      case BOOLEAN -> Boolean.valueOf(text);
      default -> text;
    };
  }
}
