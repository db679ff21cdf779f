package dev.iasql.aws.vpc;

import dev.iasql.aws.RowTag;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Tags as a sorted map, to and from AWS and the {@code tags json} column. The JSON is built and taken apart by
 * PostgreSQL itself ({@link #SQL_WRITE}, {@link #sqlRead}), so values travel only as bound text arrays.
 *
 * <p>The engine's own tag ({@link RowTag#KEY}) is never one of them: it is left out of what is read from AWS and from
 * the column (a user who writes it there has it ignored), and {@link #toAws} never sends it.
 */
final class Tags {
  /** An expression for two bound {@code text[]} parameters: keys, then values, in the same order. */
  static final String SQL_WRITE = "json_object(?::text[], ?::text[])";

  /**
   * A lateral join yielding {@code tag_keys} and {@code tag_values}, sorted by key, from {@code <alias>.tags}. A JSON
   * {@code null} counts as no tags; any other non-object fails the query, as the column must hold an object.
   */
  static String sqlRead(String alias) {
    return "LEFT JOIN LATERAL (SELECT array_agg(key ORDER BY key) AS tag_keys, array_agg(value ORDER BY key) AS"
        + " tag_values FROM json_each_text(CASE WHEN json_typeof(" + alias + ".tags) = 'null' THEN NULL ELSE "
        + alias + ".tags END)) t ON true";
  }

  private Tags() {}

  static Map<String, String> fromAws(List<Tag> tags) {
    Map<String, String> out = new TreeMap<>();
    for (Tag t : tags) {
      if (t.key() != null && !RowTag.isKey(t.key())) {
        out.put(t.key(), t.value() == null ? "" : t.value());
      }
    }
    return out;
  }

  static List<Tag> toAws(Map<String, String> tags) {
    return tags.entrySet().stream().filter(e -> !RowTag.isKey(e.getKey()))
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
  }

  /** Reads the columns {@code tag_keys} and {@code tag_values} that {@link #sqlRead} yields. */
  static Map<String, String> read(ResultSet rs) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    Array keys = rs.getArray("tag_keys");
    Array values = rs.getArray("tag_values");
    if (keys == null || values == null) {
      return out;
    }
    String[] k = (String[]) keys.getArray();
    String[] v = (String[]) values.getArray();
    for (int i = 0; i < k.length; i++) {
      if (RowTag.isKey(k[i])) {
        continue;
      }
      // A JSON null value reads as SQL NULL; AWS has no null tag values, only empty ones.
      out.put(k[i], v[i] == null ? "" : v[i]);
    }
    return out;
  }

  /** The first parameter of {@link #SQL_WRITE}. */
  static Array keys(Connection c, Map<String, String> tags) throws SQLException {
    return c.createArrayOf("text", tags.keySet().toArray(String[]::new));
  }

  /** The second parameter of {@link #SQL_WRITE}. */
  static Array values(Connection c, Map<String, String> tags) throws SQLException {
    return c.createArrayOf("text", tags.values().toArray(String[]::new));
  }
}
