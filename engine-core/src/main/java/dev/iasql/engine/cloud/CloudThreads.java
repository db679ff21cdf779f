package dev.iasql.engine.cloud;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads one engine makes its cloud calls on, kept between operations. Each operation still makes at most its
 * own limit of calls at once ({@link Parallel}); this only keeps the threads. A pool made per operation started
 * thousands of threads a minute under load, and each new thread paid again for what the SDK keeps per thread (its XML
 * parser factory, found by a class-path search): a tenth of the cloud calls' CPU in the fair-load bench. A thread
 * idle for a minute ends; {@link #close()} ends them all.
 */
public final class CloudThreads implements AutoCloseable {
  private final AtomicInteger made = new AtomicInteger();
  private final ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
      new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "iasql-cloud-" + made.incrementAndGet());
        t.setDaemon(true);
        return t;
      });

  /**
   * Runs {@code task} on a kept thread, or a new one when none is free.
   *
   * @throws EngineException ENGINE_STOPPED once {@link #close()} was called
   */
  void execute(Runnable task) {
    try {
      pool.execute(task);
    } catch (RejectedExecutionException e) {
      throw new EngineException(ErrorCode.ENGINE_STOPPED, "the engine is stopped: it makes no more cloud calls", null,
          null, e);
    }
  }

  /** Threads made so far: for tests. */
  int made() {
    return made.get();
  }

  /** Interrupts the calls still running and ends every thread. */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}
