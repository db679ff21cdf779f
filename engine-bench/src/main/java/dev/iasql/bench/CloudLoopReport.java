package dev.iasql.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cloud loop's report as text: per scenario the client times, the AWS requests (in all and by operation), and the
 * issue's goals with PASS or MISS. A MISS is a figure, not an error: correctness failures are listed apart.
 */
final class CloudLoopReport extends TextReport<CloudLoopReport> {
  /** Goals of the issue: applying 50 new security groups. */
  static final int APPLY_GOAL_REQUESTS = 105;

  static final double APPLY_GOAL_MS = 500.0;
  /** Goal of the issue: a sync that finds nothing to change, 200 groups in the account. */
  static final double SYNC_GOAL_MS = 100.0;

  /** What the figures were measured on. */
  record Environment(String postgres, int cpus, String java, String moto, List<String> enabledRegions) {}

  CloudLoopReport(Environment env) {
    line("Cloud loop against moto: PostgreSQL %s, %d CPUs, Java %s, moto %s; enabled regions %s", env.postgres(),
        env.cpus(), env.java(), env.moto(), env.enabledRegions());
    line("Client time: System.nanoTime() around the tenant's JDBC call, rows read. AWS requests: HTTP attempts"
        + " (retries included) counted by an SDK global execution interceptor.");
  }

  /** Scenario 1: measured applies of new groups, and the unmeasured cleanups after them. */
  CloudLoopReport apply(String title, List<Timed> runs, List<Timed> cleanups) {
    section(title, runs);
    int maxRequests = runs.stream().mapToInt(Timed::total).max().orElse(0);
    goal("AWS requests per apply <= " + APPLY_GOAL_REQUESTS, "max " + maxRequests,
        !runs.isEmpty() && maxRequests <= APPLY_GOAL_REQUESTS);
    timeGoal(runs, APPLY_GOAL_MS);
    if (!cleanups.isEmpty()) {
      Summary s = summary(cleanups);
      line("  cleanup, not measured (delete the rows, apply): p50 %.1f ms, max %.1f ms; requests per run %s;"
          + " by operation (last): %s", s.p50Ms(), s.maxMs(), totals(cleanups),
          cleanups.get(cleanups.size() - 1).requests().byOperation());
    }
    return this;
  }

  /** Scenario 2: measured syncs that find nothing to change. */
  CloudLoopReport sync(String title, List<Timed> runs, int enabledRegions) {
    section(title, runs);
    if (!runs.isEmpty()) {
      Timed last = runs.get(runs.size() - 1);
      line("  by operation and region (last run): %s; of which next pages: %d", last.requests().byOperationAndRegion(),
          last.requests().continuations());
    }
    StringBuilder why = new StringBuilder();
    boolean met = !runs.isEmpty();
    for (int i = 0; i < runs.size(); i++) {
      AwsRequests.Snapshot r = runs.get(i).requests();
      if (!r.repeated().isEmpty()) {
        met = false;
        why.append(String.format(Locale.ROOT, "; run %d repeated %s", i + 1, r.repeated()));
      }
      if (!r.writes().isEmpty()) {
        met = false;
        why.append(String.format(Locale.ROOT, "; run %d wrote %s", i + 1, r.writes()));
      }
    }
    String requests = runs.isEmpty() ? "no runs"
        : "requests per run " + totals(runs) + ", each a distinct (operation, region, page) read; "
            + enabledRegions + " enabled region(s)";
    goal("one request per (type, enabled region, page)", requests + why, met);
    timeGoal(runs, SYNC_GOAL_MS);
    return this;
  }

  /** A line of its own (nothing when blank). */
  CloudLoopReport note(String note) {
    if (!note.isBlank()) {
      line("%s", note);
    }
    return this;
  }

  private void section(String title, List<Timed> runs) {
    line("");
    line("%s", title);
    if (runs.isEmpty()) {
      line("  no measured run completed");
      return;
    }
    line("  %4s %10s %9s %6s  %s", "run", "client ms", "requests", "rows", "requests by operation");
    for (int i = 0; i < runs.size(); i++) {
      Timed t = runs.get(i);
      line("  %4d %10.1f %9d %6d  %s%s", i + 1, t.ms(), t.total(), t.rows(), t.requests().byOperation(),
          t.requests().errors().isEmpty() ? "" : " HTTP errors " + t.requests().errors());
    }
    Summary s = summary(runs);
    long min = runs.stream().mapToLong(Timed::nanos).min().orElse(0);
    line("  client time: p50 %.1f ms, min %.1f ms, max %.1f ms, mean %.1f ms over %d runs", s.p50Ms(), min / 1e6,
        s.maxMs(), s.meanMs(), runs.size());
    line("  requests: %d in all over %d runs, per run %s; by operation, all runs: %s",
        runs.stream().mapToInt(Timed::total).sum(), runs.size(), totals(runs), allByOperation(runs));
  }

  private void timeGoal(List<Timed> runs, double goalMs) {
    if (runs.isEmpty()) {
      goal(String.format(Locale.ROOT, "client time <= %.0f ms", goalMs), "no runs", false);
      return;
    }
    Summary s = summary(runs);
    long within = runs.stream().filter(t -> t.ms() <= goalMs).count();
    goal(String.format(Locale.ROOT, "client time <= %.0f ms (p50)", goalMs),
        String.format(Locale.ROOT, "p50 %.1f ms, %d of %d runs within", s.p50Ms(), within, runs.size()),
        s.p50Ms() <= goalMs);
  }

  private void goal(String goal, String measured, boolean met) {
    line("  goal %s: %s -> %s", goal, measured, met ? "PASS" : "MISS");
  }

  static Summary summary(List<Timed> runs) {
    long[] nanos = runs.stream().mapToLong(Timed::nanos).toArray();
    return Summary.of(nanos, Math.max(1, runs.stream().mapToLong(Timed::nanos).sum()));
  }

  private static List<Integer> totals(List<Timed> runs) {
    return runs.stream().map(Timed::total).toList();
  }

  private static Map<String, Long> allByOperation(List<Timed> runs) {
    Map<String, Long> out = new TreeMap<>();
    runs.forEach(t -> t.requests().byOperation().forEach((op, n) -> out.merge(op, n, Long::sum)));
    return out;
  }
}
