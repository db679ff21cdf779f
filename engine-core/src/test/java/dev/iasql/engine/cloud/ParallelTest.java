package dev.iasql.engine.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * An operation makes at most its cloud context's maxConcurrency calls at once (an engine's AWS setting), each in the
 * caller's log context, and a failing call is an outcome, never a throw.
 */
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

  @Test
  void aLimitBelowOneIsRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> new Parallel(0)).withMessage("limit must be at least 1, not 0");
  }

  @Test
  void callsCarryTheCallersLogContextAndLeaveNoneBehind() throws Exception {
    try (Parallel parallel = new Parallel(1)) {
      MDC.put("database", "app");
      try {
        assertThat(parallel.run(List.<Callable<String>>of(() -> MDC.get("database"))))
            .extracting(Parallel.Outcome::value).containsExactly("app");
      } finally {
        MDC.remove("database");
      }
      // The same pool thread, for a caller without a context: nothing of the last caller's is left on it.
      assertThat(parallel.run(List.<Callable<String>>of(() -> MDC.get("database"))))
          .extracting(Parallel.Outcome::value).containsOnlyNulls();
    }
  }

  @Test
  void aFailingCallIsAnOutcomeNotAThrow() throws Exception {
    try (Parallel parallel = new Parallel(2)) {
      List<Parallel.Outcome<Integer>> outcomes = parallel.run(List.<Callable<Integer>>of(() -> 1, () -> {
        throw new IllegalStateException("refused");
      }));

      assertThat(outcomes.get(0).ok()).isTrue();
      assertThat(outcomes.get(1).ok()).isFalse();
      assertThat(outcomes.get(1).error()).isInstanceOf(IllegalStateException.class).hasMessage("refused");
    }
  }
}
