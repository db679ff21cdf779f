package dev.iasql.engine.cloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;

/**
 * The cloud calls of one operation, at most the cloud context's {@code maxConcurrency()} at a time. Calls carry the caller's log context. The
 * SDK's adaptive retry (a client-side token bucket with backoff on throttling) paces them further per client.
 */
final class Parallel implements AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ThreadFactory FACTORY = r -> {
    Thread t = new Thread(r, "iasql-cloud-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  };

  private final ExecutorService pool;

  Parallel(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, not " + limit);
    }
    this.pool = Executors.newFixedThreadPool(limit, FACTORY);
  }

  /** Runs the calls and returns each one's outcome, in order. Never throws for a call's own failure. */
  <T> List<Outcome<T>> run(List<Callable<T>> calls) throws InterruptedException {
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    List<Future<T>> futures = new ArrayList<>(calls.size());
    for (Callable<T> call : calls) {
      futures.add(pool.submit(() -> {
        if (mdc != null) {
          MDC.setContextMap(mdc);
        }
        try {
          return call.call();
        } finally {
          MDC.clear();
        }
      }));
    }
    List<Outcome<T>> outcomes = new ArrayList<>(futures.size());
    for (Future<T> f : futures) {
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
    pool.shutdownNow();
  }
}
