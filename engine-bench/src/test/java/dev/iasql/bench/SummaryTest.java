package dev.iasql.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SummaryTest {
  private static final long MS = 1_000_000L;

  /** 1..100 ms in a shuffled order (seeded): every nearest-rank percentile is the value of its rank. */
  @ParameterizedTest
  @ValueSource(longs = {1L, 42L, 20240601L})
  void percentilesOfOneToHundredMillisecondsInAnyOrder(long seed) {
    long[] latencies = new long[100];
    for (int i = 0; i < 100; i++) {
      latencies[i] = (i + 1) * MS;
    }
    shuffle(latencies, new Random(seed));
    long[] before = latencies.clone();

    Summary s = Summary.of(latencies, 2_000 * MS);

    assertThat(s.calls()).isEqualTo(100);
    assertThat(s.p50Ms()).isEqualTo(50.0);
    assertThat(s.p90Ms()).isEqualTo(90.0);
    assertThat(s.p99Ms()).isEqualTo(99.0);
    assertThat(s.maxMs()).isEqualTo(100.0);
    assertThat(s.meanMs()).isCloseTo(50.5, within(1e-9));
    assertThat(s.callsPerSecond()).isCloseTo(50.0, within(1e-9)); // 100 calls in 2 s
    assertThat(latencies).as("the caller's array is left as it was").containsExactly(before);
  }

  @Test
  void nearestRankOnSmallSamples() {
    long[] three = {10, 20, 30};
    assertThat(Summary.percentile(three, 1)).isEqualTo(10);
    assertThat(Summary.percentile(three, 33.3)).isEqualTo(10);
    assertThat(Summary.percentile(three, 34)).isEqualTo(20);
    assertThat(Summary.percentile(three, 50)).isEqualTo(20);
    assertThat(Summary.percentile(three, 67)).isEqualTo(30);
    assertThat(Summary.percentile(three, 100)).isEqualTo(30);
    assertThat(Summary.percentile(new long[] {7}, 99)).isEqualTo(7);
  }

  @Test
  void oneSlowCallInAThousandShowsAtTheMaxNotAtP99() {
    long[] latencies = new long[1000];
    for (int i = 0; i < 999; i++) {
      latencies[i] = 2 * MS + i * 1000L; // 2.000 .. 2.998 ms
    }
    latencies[999] = 250 * MS;

    Summary s = Summary.of(latencies, 3_000 * MS);

    assertThat(s.p50Ms()).isEqualTo(2.499); // rank 500: 2 ms + 499 us
    assertThat(s.p90Ms()).isEqualTo(2.899); // rank 900
    assertThat(s.p99Ms()).isEqualTo(2.989); // rank 990
    assertThat(s.maxMs()).isEqualTo(250.0);
    assertThat(s.callsPerSecond()).isCloseTo(1000 / 3.0, within(1e-9));
  }

  @Test
  void refusesWhatCannotBeSummarised() {
    assertThatThrownBy(() -> Summary.of(new long[0], MS)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Summary.of(new long[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Summary.of(new long[] {-1, 5}, MS)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Summary.percentile(new long[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Summary.percentile(new long[] {1}, 100.5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reportJsonCarriesTheFiguresAndEscapesText() {
    Summary s = Summary.of(new long[] {MS, 3 * MS}, 4 * MS);
    Report report = new Report(new Report.Environment("17.0 \"x\"", 2, "17", 5, 2),
        List.of(new Report.Measurement("SELECT 1", 1, 1, s, CpuMeter.Usage.UNKNOWN)), List.of(), List.of());

    String json = report.json();

    assertThat(json)
        .contains("\"postgres\": \"17.0 \\\"x\\\"\"")
        .contains("{\"query\": \"SELECT 1\", \"callers\": 1, \"round\": 1, \"calls\": 2, \"p50Ms\": 1.000,"
            + " \"p90Ms\": 3.000, \"p99Ms\": 3.000, \"maxMs\": 3.000, \"meanMs\": 2.000, \"callsPerSecond\": 500.000,"
            + " \"cpuMsPerCall\": {\"postgres\": null, \"jvm\": null, \"callers\": null}, \"machineBusyPercent\": null}");
  }

  private static void shuffle(long[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
