package dev.iasql.bench;

import dev.iasql.engine.release.ReleaseCatalog;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The upgrade bench's report as text: per run the client time of {@code SELECT iasql_upgrade()} and the rows around
 * it, the p50/min/max, the goal with PASS or MISS, and the engine-side phases. A MISS is a figure, not an
 * error: correctness failures are listed apart.
 */
final class UpgradeReport extends TextReport<UpgradeReport> {
  /** The goal: upgrading a database with all modules and 10,000 rows takes less than 10 s. */
  static final double GOAL_SECONDS = 10.0;

  /** What the figures were measured on. */
  record Environment(String postgres, int cpus, String java, String moto, String region) {}

  /**
   * One upgrade.
   *
   * @param nanos client time of {@code SELECT iasql_upgrade()}, from just before the JDBC call to its row read
   * @param setupNanos creating the database, installing and inserting, not measured
   * @param rowsBefore rows in the module tables before the upgrade, by table
   * @param rowsAfter rows in the module tables after it, by table
   * @param auditRows rows of {@code iasql_audit_log} before the upgrade
   * @param modules the modules installed before the upgrade, with their versions
   * @param message what {@code iasql_upgrade()} returned
   * @param requests the AWS requests made while the upgrade ran
   * @param phases the engine-side split of {@code nanos}
   */
  record Run(long nanos, long setupNanos, Map<String, Long> rowsBefore, Map<String, Long> rowsAfter, long auditRows,
      Map<String, String> modules, String message, AwsRequests.Snapshot requests, List<UpgradePhases.Phase> phases) {
    Run {
      rowsBefore = Map.copyOf(rowsBefore);
      rowsAfter = Map.copyOf(rowsAfter);
      modules = Map.copyOf(modules);
      phases = List.copyOf(phases);
    }

    double seconds() {
      return nanos / 1e9;
    }

    long totalBefore() {
      return rowsBefore.values().stream().mapToLong(Long::longValue).sum();
    }

    long totalAfter() {
      return rowsAfter.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  UpgradeReport(Environment env, String setup) {
    line("Upgrade 0.0.18 -> %s in place: PostgreSQL %s, %d CPUs, Java %s, moto %s; the database's region %s",
        ReleaseCatalog.standard().latest(), env.postgres(), env.cpus(), env.java(), env.moto(), env.region());
    line("%s", setup);
    line("Client time: System.nanoTime() around the tenant's JDBC call SELECT iasql_upgrade(), its row read.");
  }

  /** The measured runs (the warm-up, when it completed, on a line of its own). */
  UpgradeReport runs(String title, List<Run> runs, @Nullable Run warmup) {
    line("");
    line("%s", title);
    if (warmup != null) {
      line("  warm-up (not kept): %.2f s, rows %d -> %d", warmup.seconds(), warmup.totalBefore(),
          warmup.totalAfter());
    }
    if (runs.isEmpty()) {
      line("  no measured run completed");
      goal("no runs", false);
      return this;
    }
    line("  %4s %11s %12s %11s %11s %13s %9s", "run", "upgrade s", "rows before", "rows after", "audit rows",
        "AWS requests", "setup s");
    for (int i = 0; i < runs.size(); i++) {
      Run r = runs.get(i);
      line("  %4d %11.2f %12d %11d %11d %13d %9.1f", i + 1, r.seconds(), r.totalBefore(), r.totalAfter(),
          r.auditRows(), r.requests().total(), r.setupNanos() / 1e9);
    }
    Run last = runs.get(runs.size() - 1);
    line("  modules before the upgrade (last run): %s", sorted(last.modules()));
    line("  rows before, by table (last run): %s", sorted(last.rowsBefore()));
    line("  rows after, by table (last run):  %s", sorted(last.rowsAfter()));
    line("  iasql_upgrade() returned (last run): %s", last.message());
    line("  AWS requests during the upgrade (last run), by operation and region: %s",
        last.requests().byOperationAndRegion());
    Summary s = summary(runs);
    long min = runs.stream().mapToLong(Run::nanos).min().orElse(0);
    line("  client time: p50 %.2f s, min %.2f s, max %.2f s, mean %.2f s over %d runs", s.p50Ms() / 1e3, min / 1e9,
        s.maxMs() / 1e3, s.meanMs() / 1e3, runs.size());
    long within = runs.stream().filter(r -> r.seconds() < GOAL_SECONDS).count();
    goal(String.format(Locale.ROOT, "p50 %.2f s with %d rows, %d of %d runs within", s.p50Ms() / 1e3,
        last.totalBefore(), within, runs.size()), s.p50Ms() / 1e3 < GOAL_SECONDS);
    phases(runs);
    return this;
  }

  private void phases(List<Run> runs) {
    List<UpgradePhases.Row> rows = UpgradePhases.summarise(runs.stream().map(Run::phases).toList());
    line("  engine-side phases, each up to the progress line that ends it (p50 / max over the runs):");
    for (UpgradePhases.Row r : rows) {
      line("    %9.1f ms %9.1f ms  %s%s", r.p50Ms(), r.maxMs(), r.name(),
          r.runs() == runs.size() ? "" : " (in " + r.runs() + " of " + runs.size() + " runs)");
    }
  }

  private void goal(String measured, boolean met) {
    line("  goal upgrade of a database with all modules and 10,000 rows < %.0f s (p50): %s -> %s", GOAL_SECONDS,
        measured, met ? "PASS" : "MISS");
  }

  private static String sorted(Map<String, ?> counts) {
    return counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "{", "}"));
  }

  static Summary summary(List<Run> runs) {
    long[] nanos = runs.stream().mapToLong(Run::nanos).toArray();
    return Summary.of(nanos, Math.max(1, runs.stream().mapToLong(Run::nanos).sum()));
  }
}
