package dev.iasql.engine.kit;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.table;
import static org.jooq.impl.DSL.val;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iasql.engine.sql.Sql;
import java.sql.Connection;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * A kit table's DB side, through jOOQ: every value bound, every name quoted. References are read as the referred
 * row's cloud id and written back as its row id, looked up in the same region.
 */
final class Store {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String T = "t";
  private static final String O = "o";

  private final TableSpec spec;
  private final Table<?> table;

  Store(TableSpec spec) {
    this.spec = spec;
    this.table = table(name("public", spec.table()));
  }

  List<Row> read(Connection c) {
    DSLContext dsl = Sql.dsl(c);
    Table<?> t = table.as(T);
    List<Field<?>> fields = new ArrayList<>();
    // A table keyed by a column of its own has no id: NULL stands in for it.
    fields.add(spec.keyColumn() == null ? field(name(T, "id"), SQLDataType.INTEGER)
        : DSL.inline((Integer) null, SQLDataType.INTEGER));
    if (spec.regional()) {
      fields.add(field(name(T, TableSpec.REGION), SQLDataType.VARCHAR));
    }
    for (Column col : spec.columns()) {
      fields.add(readField(col).as(col.name()));
    }
    for (Reference r : spec.references()) {
      fields.add(field(name(T, r.column()), SQLDataType.INTEGER).as(r.column() + "$row"));
      fields.add(field(select(field(name(O, r.cloudIdColumn()), SQLDataType.VARCHAR))
          .from(table(name("public", r.table())).as(O))
          .where(field(name(O, "id"), SQLDataType.INTEGER).eq(field(name(T, r.column()), SQLDataType.INTEGER))))
          .as(r.column()));
    }
    List<Row> rows = new ArrayList<>();
    for (Record rec : dsl.select(fields).from(t).orderBy(field(name(T, spec.keyColumn() == null ? "id" : spec.keyColumn()))).fetch()) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (Column col : spec.columns()) {
        values.put(col.name(), fromDb(col.type(), rec.get(col.name())));
      }
      String awaiting = null;
      for (Reference r : spec.references()) {
        Object cloudId = rec.get(r.column());
        values.put(r.column(), cloudId);
        Object rowId = rec.get(r.column() + "$row");
        if (rowId != null && cloudId == null && awaiting == null) { // the first, in declaration order
          awaiting = r.table() + " row " + rowId;
        }
      }
      rows.add(new Row(rec.get(0, Integer.class), spec.regional() ? rec.get(1, String.class) : null, values, null,
          awaiting));
    }
    return rows;
  }

  /** Inserts a resource read from the cloud; returns the new row's id, or null when a reference has no row. */
  @Nullable Integer insert(Connection c, Row cloud) {
    DSLContext dsl = Sql.dsl(c);
    Map<Field<?>, Object> set = new LinkedHashMap<>();
    for (Reference r : spec.references()) {
      Integer rowId = cloud.get(r.column()) == null ? null : dsl.select(rowIdOf(r, cloud)).fetchOne(0, Integer.class);
      if (cloud.get(r.column()) != null && rowId == null) {
        return null;
      }
      set.put(field(name(r.column())), val(rowId, SQLDataType.INTEGER));
    }
    if (spec.regional()) {
      set.put(field(name(TableSpec.REGION)), val(cloud.region()));
    }
    for (Column col : spec.columns()) {
      // An unlisted value the cloud did not say takes the column's DEFAULT.
      if (col.readable() && !(col.role() == Role.USER_UNLISTED && cloud.get(col.name()) == null)) {
        set.put(field(name(col.name())), writeField(col, cloud.get(col.name())));
      }
    }
    if (spec.keyColumn() != null) {
      dsl.insertInto(table).set(set).execute();
      return null;
    }
    Record rec = dsl.insertInto(table).set(set).returning(field(name("id"), SQLDataType.INTEGER)).fetchOne();
    return rec == null ? null : rec.get(0, Integer.class);
  }

  /**
   * Makes the row say what the cloud says: every readable column and reference takes the cloud's value (a JSON value
   * equal in meaning keeps the row's spelling), write-only columns become NULL.
   */
  void update(Connection c, Row db, Row cloud) {
    DSLContext dsl = Sql.dsl(c);
    Map<Field<?>, Object> set = new LinkedHashMap<>();
    for (Column col : spec.columns()) {
      if (!col.readable()) {
        set.put(field(name(col.name())), DSL.inline((Object) null));
      } else if (col.role() == Role.USER_UNLISTED && cloud.get(col.name()) == null) {
        continue; // unknown: the row keeps its value
      } else if (!Values.equal(col.type(), db.get(col.name()), cloud.get(col.name()))) {
        set.put(field(name(col.name())), writeField(col, cloud.get(col.name())));
      }
    }
    for (Reference r : spec.references()) {
      if (!java.util.Objects.equals(db.get(r.column()), cloud.get(r.column()))) {
        set.put(field(name(r.column())), rowIdOf(r, cloud));
      }
    }
    if (set.isEmpty()) {
      return;
    }
    dsl.update(table).set(set).where(idIs(db)).execute();
  }

  void delete(Connection c, Row db) {
    Sql.dsl(c).deleteFrom(table).where(idIs(db)).execute();
  }

  private Condition idIs(Row db) {
    String key = spec.keyColumn();
    if (key != null) {
      Condition byKey = field(name(key), SQLDataType.VARCHAR).eq((String) db.get(key));
      return spec.regional() ? byKey.and(field(name(TableSpec.REGION), SQLDataType.VARCHAR).eq(db.region())) : byKey;
    }
    return field(name("id"), SQLDataType.INTEGER).eq(java.util.Objects.requireNonNull(db.id(), "db row without id"));
  }

  /** The referred row's id, found by its cloud id in the value's region; NULL when there is none. */
  private Field<?> rowIdOf(Reference r, Row value) {
    Object cloudId = value.get(r.column());
    if (cloudId == null) {
      return DSL.inline((Object) null);
    }
    Condition match = field(name(O, r.cloudIdColumn()), SQLDataType.VARCHAR).eq((String) cloudId);
    if (spec.regional()) {
      match = match.and(field(name(O, TableSpec.REGION), SQLDataType.VARCHAR).eq(value.region()));
    }
    return field(select(field(name(O, "id"), SQLDataType.INTEGER)).from(table(name("public", r.table())).as(O))
        .where(match).limit(1));
  }

  private static Field<?> readField(Column col) {
    Field<Object> f = field(name(T, col.name()));
    return switch (col.type()) {
      case TEXT -> f.cast(SQLDataType.VARCHAR);
      case INTEGER -> f.cast(SQLDataType.INTEGER);
      case BIGINT -> f.cast(SQLDataType.BIGINT);
      case BOOLEAN -> f.cast(SQLDataType.BOOLEAN);
      case TIMESTAMPTZ -> field(name(T, col.name()), SQLDataType.TIMESTAMPWITHTIMEZONE);
      // As PostgreSQL prints them (the driver's PGobject): a host address without its /32, unlike a cast to text.
      case CIDR, INET, JSON, TAGS -> f;
    };
  }

  private Field<?> writeField(Column col, @Nullable Object value) {
    if (value == null) {
      return DSL.inline((Object) null);
    }
    TableSpec.EnumType enumType = spec.enumTypes().get(col.name());
    if (enumType != null) {
      return field("cast({0} as {1})", Object.class, val((String) value, SQLDataType.VARCHAR), name(enumType.name()));
    }
    return switch (col.type()) {
      case TEXT -> val((String) value, SQLDataType.VARCHAR);
      case INTEGER -> val((Integer) value, SQLDataType.INTEGER);
      case BIGINT -> val((Long) value, SQLDataType.BIGINT);
      case BOOLEAN -> val((Boolean) value, SQLDataType.BOOLEAN);
      case TIMESTAMPTZ -> val(((Instant) value).atOffset(ZoneOffset.UTC), SQLDataType.TIMESTAMPWITHTIMEZONE);
      // A bound text value cast by PostgreSQL, which refuses a bad address or JSON itself.
      case CIDR -> field("cast({0} as cidr)", Object.class, val((String) value, SQLDataType.VARCHAR));
      case INET -> field("cast({0} as inet)", Object.class, val((String) value, SQLDataType.VARCHAR));
      case JSON -> field("cast({0} as json)", Object.class, val((String) value, SQLDataType.VARCHAR));
      case TAGS -> field("cast({0} as json)", Object.class, val(tagsJson(value), SQLDataType.VARCHAR));
    };
  }

  private static @Nullable Object fromDb(ColumnType type, @Nullable Object v) {
    if (v == null) {
      return null;
    }
    Object value = v instanceof org.postgresql.util.PGobject pg ? pg.getValue() : v;
    if (value == null) {
      return null;
    }
    return switch (type) {
      case TIMESTAMPTZ -> ((OffsetDateTime) value).toInstant();
      case TAGS -> tags((String) value);
      default -> value;
    };
  }

  /**
   * The tags of a {@code json} column: an object of strings; a JSON {@code null} is no tags. The engine's own
   * ({@link CrashSafety#ROW_TAG_KEY}) is left out.
   */
  static Map<String, String> tags(String json) {
    try {
      Map<String, Object> raw = JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
      Map<String, String> out = new TreeMap<>();
      if (raw != null) {
        raw.forEach((k, v) -> out.put(k, v == null ? "" : String.valueOf(v)));
      }
      out.remove(CrashSafety.ROW_TAG_KEY);
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("tags must be a JSON object of strings: " + e.getOriginalMessage(), e);
    }
  }

  @SuppressWarnings("unchecked") // a TAGS value is a map of strings
  private static String tagsJson(Object value) {
    try {
      return JSON.writeValueAsString(new TreeMap<>((Map<String, String>) value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
