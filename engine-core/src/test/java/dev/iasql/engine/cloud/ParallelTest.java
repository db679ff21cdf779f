package dev.iasql.engine.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * An operation makes at most its cloud context's maxConcurrency calls at once (an engine's AWS setting), each in the
 * caller's log context, and a failing call is an outcome, never a throw.
 */
class ParallelTest {
  private final CloudThreads threads = new CloudThreads();

  @AfterEach
  void closeThreads() {
    threads.close();
  }

  @Test
  void operationsOneAfterAnotherReuseTheEnginesThreads() throws Exception {
    int operations = 20;
    for (int op = 0; op < operations; op++) {
      try (Parallel parallel = new Parallel(2, threads)) {
        assertThat(parallel.run(List.<Callable<String>>of(() -> Thread.currentThread().getName(),
            () -> Thread.currentThread().getName()))).allMatch(Parallel.Outcome::ok);
      }
      // A thread whose call has answered is back waiting for work a moment later; a call handed over within that
      // moment gets a new thread, which is fine, and rare.
      Thread.sleep(20);
    }
    // Made per operation, these were 40 threads, each paying again for what the SDK keeps per thread.
    assertThat(threads.made()).as("threads made for %s operations of 2 calls", operations).isLessThan(10);
  }

  @Test
  void closingAnOperationInterruptsItsCallsAndNotAnothers() throws Exception {
    CountDownLatch bothRunning = new CountDownLatch(2);
    CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
    CompletableFuture<String> other = new CompletableFuture<>();
    Parallel mine = new Parallel(1, threads);
    Parallel theirs = new Parallel(1, threads);
    Thread caller = new Thread(() -> {
      try {
        mine.run(List.<Callable<Object>>of(() -> {
          bothRunning.countDown();
          try {
            Thread.sleep(30_000);
            interrupted.complete(false);
          } catch (InterruptedException e) {
            interrupted.complete(true);
          }
          return null;
        }));
      } catch (InterruptedException | RuntimeException e) {
        // the caller's own wait ends when its call is cancelled
      }
    });
    caller.start();
    Thread otherCaller = new Thread(() -> {
      try {
        other.complete(theirs.run(List.<Callable<String>>of(() -> {
          bothRunning.countDown();
          Thread.sleep(300);
          return "finished";
        })).get(0).value());
      } catch (InterruptedException e) {
        other.completeExceptionally(e);
      }
    });
    otherCaller.start();
    assertThat(bothRunning.await(10, TimeUnit.SECONDS)).isTrue();

    mine.close();

    assertThat(interrupted.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo("finished");
    caller.join(10_000);
    otherCaller.join(10_000);
  }

  @Test
  void noCallStartsOnceTheEngineClosedItsThreads() {
    threads.close();
    try (Parallel parallel = new Parallel(1, threads)) {
      EngineException e = catchThrowableOfType(EngineException.class,
          () -> parallel.run(List.<Callable<Integer>>of(() -> 1)));
      assertThat(e.code()).isEqualTo(ErrorCode.ENGINE_STOPPED);
    }
  }
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
    try (Parallel parallel = new Parallel(limit, threads)) {
      List<Parallel.Outcome<Integer>> outcomes = parallel.run(calls);
      assertThat(outcomes).allMatch(Parallel.Outcome::ok);
      assertThat(outcomes).extracting(Parallel.Outcome::value).containsExactly(0, 1, 2, 3, 4, 5);
    }
    assertThat(most.get()).isEqualTo(limit);
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> new Parallel(0, threads)).withMessage("limit must be at least 1, not 0");
  }

  @Test
  void callsCarryTheCallersLogContextAndLeaveNoneBehind() throws Exception {
    try (Parallel parallel = new Parallel(1, threads)) {
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
    try (Parallel parallel = new Parallel(2, threads)) {
      List<Parallel.Outcome<Integer>> outcomes = parallel.run(List.<Callable<Integer>>of(() -> 1, () -> {
        throw new IllegalStateException("refused");
      }));

      assertThat(outcomes.get(0).ok()).isTrue();
      assertThat(outcomes.get(1).ok()).isFalse();
      assertThat(outcomes.get(1).error()).isInstanceOf(IllegalStateException.class).hasMessage("refused");
    }
  }
}
