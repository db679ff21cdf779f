package dev.iasql.bench;

import java.util.Arrays;

/**
 * What one measured configuration comes to: latency percentiles of single calls and the throughput of all callers
 * together.
 *
 * <p>Percentiles use the nearest-rank method on the sorted latencies: the p-th percentile of n values is the value at
 * rank {@code ceil(p / 100 * n)} (1-based), so it is always one of the measured values, and p100 is the maximum.
 *
 * @param calls how many calls were measured
 * @param p50Ms median latency, milliseconds
 * @param p90Ms 90th percentile latency, milliseconds
 * @param p99Ms 99th percentile latency, milliseconds
 * @param maxMs the slowest call, milliseconds
 * @param meanMs mean latency, milliseconds
 * @param callsPerSecond calls completed per second of wall time, all callers together
 */
public record Summary(int calls, double p50Ms, double p90Ms, double p99Ms, double maxMs, double meanMs,
    double callsPerSecond) {

  /**
   * Summarises latencies measured while all callers ran for {@code wallNanos}.
   *
   * @param latencyNanos one latency per call, in nanoseconds, in any order (not modified)
   * @param wallNanos the wall time from the first call's start to the last call's end
   */
  public static Summary of(long[] latencyNanos, long wallNanos) {
    if (latencyNanos.length == 0) {
      throw new IllegalArgumentException("no latencies to summarise");
    }
    if (wallNanos <= 0) {
      throw new IllegalArgumentException("the wall time must be positive, not " + wallNanos);
    }
    long[] sorted = latencyNanos.clone();
    Arrays.sort(sorted);
    if (sorted[0] < 0) {
      throw new IllegalArgumentException("a latency cannot be negative: " + sorted[0]);
    }
    double sum = 0;
    for (long l : sorted) {
      sum += l;
    }
    return new Summary(
        sorted.length,
        millis(percentile(sorted, 50)),
        millis(percentile(sorted, 90)),
        millis(percentile(sorted, 99)),
        millis(sorted[sorted.length - 1]),
        sum / sorted.length / 1e6,
        sorted.length / (wallNanos / 1e9));
  }

  /**
   * The nearest-rank percentile of sorted values.
   *
   * @param sorted values in ascending order, at least one
   * @param p the percentile, in (0, 100]
   */
  public static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("a percentile is in (0, 100], not " + p);
    }
    // p * n first, and a hair below the next integer, so that 90 % of 100 is rank 90, not 91 by a rounding error
    int rank = (int) Math.ceil(p * sorted.length / 100.0 - 1e-9);
    return sorted[Math.max(rank, 1) - 1];
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
