package dev.iasql.engine.cloud;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import org.slf4j.MDC;

/**
 * The cloud calls of one operation, at most the cloud context's {@code maxConcurrency()} at a time, on the engine's
 * {@link CloudThreads}. Calls carry the caller's log context. The SDK's adaptive retry (a client-side token bucket
 * with backoff on throttling) paces them further per client. {@link #close()} cancels what is still running.
 */
final class Parallel implements AutoCloseable {
  private final CloudThreads threads;
  /** Calls this operation may start now. */
  private final Semaphore room;
  private final Set<FutureTask<?>> started = ConcurrentHashMap.newKeySet();

  Parallel(int limit, CloudThreads threads) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, not " + limit);
    }
    this.room = new Semaphore(limit);
    this.threads = requireNonNull(threads, "threads is null");
  }

  /** Runs the calls and returns each one's outcome, in order. Never throws for a call's own failure. */
  <T> List<Outcome<T>> run(List<Callable<T>> calls) throws InterruptedException {
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    List<FutureTask<T>> tasks = new ArrayList<>(calls.size());
    for (Callable<T> call : calls) {
      room.acquire();
      FutureTask<T> task = new FutureTask<>(() -> {
        if (mdc != null) {
          MDC.setContextMap(mdc);
        }
        try {
          return call.call();
        } finally {
          MDC.clear();
        }
      }) {
        @Override
        protected void done() { // ran, failed or was cancelled: once, in every case
          started.remove(this);
          room.release();
        }
      };
      started.add(task);
      try {
        threads.execute(task);
      } catch (RuntimeException e) {
        task.cancel(false); // gives its room back
        throw e;
      }
      tasks.add(task);
    }
    List<Outcome<T>> outcomes = new ArrayList<>(tasks.size());
    for (FutureTask<T> f : tasks) {
      try {
        outcomes.add(new Outcome<>(f.get(), null));
      } catch (ExecutionException e) {
        outcomes.add(new Outcome<>(null, e.getCause()));
      }
    }
    return outcomes;
  }

  record Outcome<T>(T value, Throwable error) {
    boolean ok() {
      return error == null;
    }
  }

  @Override
  public void close() {
    started.forEach(t -> t.cancel(true));
  }
}
