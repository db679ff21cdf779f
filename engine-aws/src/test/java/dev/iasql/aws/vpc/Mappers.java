package dev.iasql.aws.vpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.Module;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Test helper: what the engine does with a mapper, one step at a time, without the engine. */
public final class Mappers {
  private Mappers() {}

  /** A module's mapper for one table, typed by the caller (the values are package-private records). */
  @SuppressWarnings("unchecked")
  public static <E> Mapper<E> of(Module module, String table) {
    return (Mapper<E>) module.mappers().stream().filter(m -> m.table().equals(table)).findFirst()
        .orElseThrow(() -> new AssertionError(module.name() + " has no mapper for " + table));
  }

  /** Sync's half for resources AWS has and the DB lacks: inserts a row for each; returns what AWS has. */
  public static <E> List<E> importMissing(Mapper<E> m, CloudContext ctx, Connection c, String region)
      throws SQLException {
    Map<String, E> db = byKey(m, m.readDb(c));
    List<E> cloud = m.readCloud(ctx, region);
    for (E e : cloud) {
      if (!db.containsKey(Objects.requireNonNull(m.cloudKey(e)))) {
        m.insertDb(c, e);
      }
    }
    return cloud;
  }

  /** Values by cloud key; values without one are left out. Fails on two values with one key. */
  public static <E> Map<String, E> byKey(Mapper<E> m, List<E> values) {
    Map<String, E> out = new LinkedHashMap<>();
    for (E e : values) {
      String key = m.cloudKey(e);
      if (key != null) {
        assertThat(out.put(key, e)).as("two %s values with key %s", m.table(), key).isNull();
      }
    }
    return out;
  }

  /** The row the DB holds for a cloud value, by key. */
  public static <E> E dbRowFor(Mapper<E> m, Connection c, E cloud) throws SQLException {
    E row = byKey(m, m.readDb(c)).get(m.cloudKey(cloud));
    assertThat(row).as("%s row for %s", m.table(), m.cloudKey(cloud)).isNotNull();
    return row;
  }

  /** The cloud's current value with a key, read afresh. */
  public static <E> E cloudFor(Mapper<E> m, CloudContext ctx, String region, String key) {
    E e = byKey(m, m.readCloud(ctx, region)).get(key);
    assertThat(e).as("%s in AWS with key %s", m.table(), key).isNotNull();
    return e;
  }

  /**
   * Imports every resource of the region, reads the rows back and checks that each compares NONE with its resource:
   * what sync writes is exactly what the next comparison sees.
   */
  public static <E> void assertRoundTrip(Mapper<E> m, CloudContext ctx, Connection c, String region)
      throws SQLException {
    List<E> cloud = importMissing(m, ctx, c, region);
    Map<String, E> db = byKey(m, m.readDb(c));
    assertThat(cloud).as("%s in AWS", m.table()).isNotEmpty();
    for (E e : cloud) {
      E row = db.get(m.cloudKey(e));
      assertThat(row).as("%s row of %s", m.table(), m.cloudKey(e)).isNotNull();
      assertThat(m.compare(row, e)).as("%s row %s against AWS's %s", m.table(), row, e).isEqualTo(Difference.NONE);
    }
  }

  /** Apply's create step: creates the resource of a row and writes back what AWS assigned; returns the created. */
  public static <E> E create(Mapper<E> m, CloudContext ctx, Connection c, E row) throws SQLException {
    E created = m.create(ctx, row);
    m.updateDb(c, row, created);
    return created;
  }
}
