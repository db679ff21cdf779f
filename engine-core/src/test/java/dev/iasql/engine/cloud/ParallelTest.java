package dev.iasql.engine.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An operation makes at most its cloud context's maxConcurrency calls at once (an engine's AWS setting). */
class ParallelTest {
  @Test
  void callsRunAtMostTheLimitAtOnce() throws Exception {
    int limit = 2;
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    // Each call waits for a partner: the calls finish only if two run at once, and never more than two may.
    CyclicBarrier pairs = new CyclicBarrier(limit);
    List<Callable<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int n = i;
      calls.add(() -> {
        most.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
          pairs.await(10, TimeUnit.SECONDS);
          return n;
        } finally {
          running.decrementAndGet();
        }
      });
    }
    try (Parallel parallel = new Parallel(limit)) {
      List<Parallel.Outcome<Integer>> outcomes = parallel.run(calls);
      assertThat(outcomes).allMatch(Parallel.Outcome::ok);
      assertThat(outcomes).extracting(Parallel.Outcome::value).containsExactly(0, 1, 2, 3, 4, 5);
    }
    assertThat(most.get()).isEqualTo(limit);
  }
}
