package dev.iasql.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Splits one upgrade's client time at the engine's progress lines: the first phase runs from the client's call to the
 * first line, each next one up to the next line, and the last from the last line until the client has the result.
 * A phase is named after the line that ends it, with the database's name replaced by {@code <db>} so that the phases
 * of different runs (each on its own database) line up.
 */
final class UpgradePhases {
  /** The name of the phase after the last progress line. */
  static final String RETURN = "(after the last line, until the client has the result)";

  private static final Pattern DURATION = Pattern.compile("\\b\\d+(?:\\.\\d+)? ?ms\\b");

  private UpgradePhases() {}

  /**
   * A progress line of the engine.
   *
   * @param nanos {@link System#nanoTime()} when the engine logged it
   * @param text the line
   */
  record Line(long nanos, String text) {}

  /** One phase of one run. */
  record Phase(String name, long nanos) {
    double ms() {
      return nanos / 1e6;
    }
  }

  /** One phase over all runs: the nearest-rank p50 and the maximum, in milliseconds. */
  record Row(String name, int runs, double p50Ms, double maxMs) {}

  /**
   * The phases of one run. Lines logged before {@code startNanos} or after {@code endNanos} (not this call's) are left
   * out; the lines are taken in time order.
   */
  static List<Phase> split(long startNanos, List<Line> lines, long endNanos, String database) {
    if (endNanos < startNanos) {
      throw new IllegalArgumentException("the call ended before it started");
    }
    List<Line> within = lines.stream().filter(l -> l.nanos() >= startNanos && l.nanos() <= endNanos)
        .sorted((a, b) -> Long.compare(a.nanos(), b.nanos())).toList();
    List<Phase> out = new ArrayList<>();
    long from = startNanos;
    for (Line l : within) {
      out.add(new Phase(name(l.text(), database), l.nanos() - from));
      from = l.nanos();
    }
    out.add(new Phase(RETURN, endNanos - from));
    return out;
  }

  /**
   * The phases of several runs, by name in the order they first appear; a name seen twice in one run is counted
   * with its sum for that run.
   */
  static List<Row> summarise(List<List<Phase>> runs) {
    Map<String, List<Long>> byName = new LinkedHashMap<>();
    for (List<Phase> run : runs) {
      Map<String, Long> sums = new LinkedHashMap<>();
      run.forEach(p -> sums.merge(p.name(), p.nanos(), Long::sum));
      sums.forEach((name, nanos) -> byName.computeIfAbsent(name, n -> new ArrayList<>()).add(nanos));
    }
    List<Row> out = new ArrayList<>();
    byName.forEach((name, values) -> {
      long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
      out.add(new Row(name, sorted.length, Summary.percentile(sorted, 50) / 1e6, sorted[sorted.length - 1] / 1e6));
    });
    return out;
  }

  /**
   * A line as a phase's name: the database's name becomes {@code <db>} and a duration the engine states
   * ({@code in 15 ms}) becomes {@code in _ ms}, so that the same step of different runs has the same name.
   */
  static String name(String line, String database) {
    String named = database.isEmpty() ? line : line.replace(database, "<db>");
    return DURATION.matcher(named).replaceAll("_ ms");
  }
}
