package dev.iasql.engine.spi;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A SQL function's result, declared once as a Java record: its components are the columns, in order, named in
 * snake_case ({@code createdTableName} is {@code created_table_name}) and typed from Java ({@code String} text, {@code
 * int}/{@code Integer} integer, {@code long} bigint, {@code boolean}, {@code Instant}/{@code OffsetDateTime}
 * timestamptz, {@code List<String>} text[]) unless {@link SqlType} says otherwise. The {@code RETURNS TABLE} column
 * list and each row's values both come from the record, so the two can never disagree.
 *
 * <p>On the module path, a module whose result records are not in an exported package opens that package to {@code
 * dev.iasql.engine}, which reads their components.
 */
public final class ResultColumns {
  private ResultColumns() {}

  /** The column list of {@code RETURNS TABLE (...)}: {@code module_name character varying, record_count integer}. */
  public static String of(Class<? extends Record> type) {
    return components(type).stream().map(c -> column(c) + " " + sqlType(c)).collect(Collectors.joining(", "));
  }

  /** The columns marked {@link Secret}. */
  public static Set<String> secret(Class<? extends Record> type) {
    Set<String> secret = new LinkedHashSet<>();
    components(type).stream().filter(c -> c.isAnnotationPresent(Secret.class)).forEach(c -> secret.add(column(c)));
    return secret;
  }

  /** One row: column name to value, in column order; times as ISO-8601 text, which PostgreSQL reads back. */
  public static Map<String, Object> row(Record row) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (RecordComponent c : components(row.getClass())) {
      Object v;
      try {
        var accessor = c.getAccessor();
        accessor.setAccessible(true); // a module's records are often package-private
        v = accessor.invoke(row);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + row.getClass().getName() + "." + c.getName(), e);
      }
      values.put(column(c), v instanceof Instant || v instanceof OffsetDateTime ? v.toString() : v);
    }
    return values;
  }

  private static List<RecordComponent> components(Class<?> type) {
    RecordComponent[] components = type.getRecordComponents();
    if (components == null || components.length == 0) {
      throw new IllegalArgumentException(type.getName() + " is not a record with components");
    }
    return List.of(components);
  }

  static String column(RecordComponent c) {
    return c.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  private static String sqlType(RecordComponent c) {
    SqlType declared = c.getAnnotation(SqlType.class);
    if (declared != null) {
      return declared.value();
    }
    Class<?> t = c.getType();
    if (t == List.class && c.getGenericType() instanceof ParameterizedType p) {
      Type element = p.getActualTypeArguments()[0];
      if (element == String.class) {
        return "text[]";
      }
    }
    if (t == String.class) {
      SqlType all = c.getDeclaringRecord().getAnnotation(SqlType.class);
      return all != null ? all.value() : "text";
    }
    if (t == int.class || t == Integer.class) {
      return "integer";
    }
    if (t == long.class || t == Long.class) {
      return "bigint";
    }
    if (t == boolean.class || t == Boolean.class) {
      return "boolean";
    }
    if (t == Instant.class || t == OffsetDateTime.class) {
      return "timestamptz";
    }
    throw new IllegalArgumentException(c.getDeclaringRecord().getName() + "." + c.getName() + ": no SQL type for "
        + c.getGenericType().getTypeName() + "; say it with @SqlType");
  }
}
