package dev.iasql.engine.cloud;

import dev.iasql.engine.spi.Mapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Dependency levels of tables: a table's level is one more than the highest level of the tables it refers to. */
final class Levels {
  private Levels() {}

  static Map<String, Integer> of(List<Mapper<?>> mappers) {
    Map<String, Mapper<?>> byTable = new HashMap<>();
    mappers.forEach(m -> byTable.put(m.table(), m));
    Map<String, Integer> levels = new HashMap<>();
    for (Mapper<?> m : mappers) {
      level(m, byTable, levels, new ArrayList<>());
    }
    return levels;
  }

  /** The mappers, lowest level first (stable within a level). */
  static List<Mapper<?>> ordered(List<Mapper<?>> mappers) {
    Map<String, Integer> levels = of(mappers);
    List<Mapper<?>> sorted = new ArrayList<>(mappers);
    sorted.sort(Comparator.comparingInt(m -> levels.get(m.table())));
    return sorted;
  }

  private static int level(Mapper<?> m, Map<String, Mapper<?>> byTable, Map<String, Integer> levels,
      List<String> path) {
    Integer known = levels.get(m.table());
    if (known != null) {
      return known;
    }
    if (path.contains(m.table())) {
      throw new IllegalStateException("tables refer to each other in a cycle: " + path + " -> " + m.table());
    }
    path.add(m.table());
    int level = 0;
    for (String dep : m.dependsOn()) {
      Mapper<?> d = byTable.get(dep);
      if (d != null && d != m) {
        level = Math.max(level, level(d, byTable, levels, path) + 1);
      }
    }
    path.remove(path.size() - 1);
    levels.put(m.table(), level);
    return level;
  }
}
