package dev.iasql.functions;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides when each claimed call runs, fairly between databases. Every database has a queue of its own and at most
 * {@link #CALLS_PER_DATABASE} calls running; a call whose database has room starts at once, on a thread of its own.
 *
 * <p>There is deliberately no pool of workers shared by all databases: a cloud call (an apply, a sync, an install
 * importing from AWS) spends seconds to minutes waiting on AWS, and each one that held a worker of a shared pool
 * made every other database's calls, however quick, queue behind it. Here such a wait holds only its own thread, so
 * one tenant's cloud work never delays another tenant's calls, and a burst of one database waits in that database's
 * queue. Threads are made as needed and end after a minute idle; there are at most {@link #CALLS_PER_DATABASE} per
 * database with calls, which the tenant's connection limit bounds in turn. A call may also run on a thread its caller
 * already has ({@link #enter}), counted the same: handing it to another thread cost a quick call up to seconds while
 * 200 databases were busy (the hand-over waits for a thread to be scheduled, or made).
 */
final class Dispatcher {
  /**
   * Calls one database runs at once. Each holds a pooled connection and briefly borrows a second to record progress,
   * so this stays below half the engine's pool per database; the rest wait in the database's queue. Cloud work of one
   * database runs one at a time anyway (the engine's cloud lock), so this leaves room for quick calls beside it.
   */
  static final int CALLS_PER_DATABASE = 4;

  private final ThreadPoolExecutor threads;
  /** Per database: what waits for room. A database is here only while it has calls running or waiting. */
  private final Map<String, Lane> lanes = new HashMap<>();
  private int waiting;
  private boolean shutdown;
  /** Calls started on a thread of the pool, rather than on their caller's ({@link #enter}). */
  private final AtomicLong handedOver = new AtomicLong();

  private static final class Lane {
    final Queue<Runnable> queue = new ArrayDeque<>();
    int running;
  }

  Dispatcher() {
    AtomicInteger n = new AtomicInteger();
    this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
        r -> {
          Thread t = new Thread(r, "iasql-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Runs {@code call} for {@code database} now, or once one of that database's running calls ends.
   *
   * @throws RejectedExecutionException once the dispatcher is shut down
   */
  void submit(String database, Runnable call) {
    synchronized (this) {
      if (!enter(database)) {
        lanes.get(database).queue.add(call);
        waiting++;
        return;
      }
    }
    start(database, call);
  }

  /**
   * Takes room for one call of {@code database} to run on the caller's own thread, when there is room now; the
   * caller then owes {@link #leave}. Whether it took room: when not, {@link #submit} queues the call.
   *
   * @throws RejectedExecutionException once the dispatcher is shut down
   */
  synchronized boolean enter(String database) {
    if (shutdown) {
      throw new RejectedExecutionException("the bridge is stopping");
    }
    Lane lane = lanes.computeIfAbsent(database, d -> new Lane());
    if (lane.running >= CALLS_PER_DATABASE) {
      return false; // a new lane has room: this one has calls running, which leave it there
    }
    lane.running++;
    return true;
  }

  /** A call that {@link #enter} let run on its caller's thread ended: its database's next queued call may start. */
  void leave(String database) {
    finished(database);
  }

  /**
   * Waits, at most {@code timeout}, until {@code database} has no call running or queued; returns whether it has
   * none.
   */
  synchronized boolean awaitIdle(String database, java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (lanes.containsKey(database)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Calls queued behind their database's running ones: the {@code iasql.bridge.waiting} gauge. */
  synchronized int waiting() {
    return waiting;
  }

  /** Calls run on a thread of their own so far: the {@code iasql.bridge.handed.over} counter. */
  long handedOver() {
    return handedOver.get();
  }

  private void start(String database, Runnable call) {
    handedOver.incrementAndGet();
    try {
      threads.execute(() -> {
        try {
          call.run();
        } finally {
          finished(database);
        }
      });
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        Lane lane = lanes.get(database);
        if (--lane.running == 0 && lane.queue.isEmpty()) {
          lanes.remove(database);
          notifyAll(); // awaitIdle
        }
      }
      throw e;
    }
  }

  /** One call of {@code database} ended: its next queued call takes the room, or the room is given back. */
  private void finished(String database) {
    Runnable next;
    synchronized (this) {
      Lane lane = lanes.get(database);
      next = shutdown ? null : lane.queue.poll();
      if (next == null) {
        lane.running--;
        if (lane.running == 0) {
          waiting -= lane.queue.size();
          lanes.remove(database);
          notifyAll(); // awaitIdle
        }
        return;
      }
      waiting--;
    }
    try {
      start(database, next);
    } catch (RejectedExecutionException e) {
      // shut down meanwhile: the call's caller sees the engine leave, as for every call not yet claimed
    }
  }

  /** Starts no more calls; queued ones are dropped (not claimed, their callers see the engine leave). */
  void shutdown() {
    synchronized (this) {
      shutdown = true;
    }
    threads.shutdown();
  }

  boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return threads.awaitTermination(timeout, unit);
  }

  void shutdownNow() {
    threads.shutdownNow();
  }
}
