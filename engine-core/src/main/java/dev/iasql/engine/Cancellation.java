package dev.iasql.engine;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets a caller stop an operation. The engine registers what to do (cancel the running SQL statement) while work is
 * under way, so a cancel stops the work, not just the wait.
 */
public final class Cancellation {
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final CopyOnWriteArrayList<Runnable> actions = new CopyOnWriteArrayList<>();
  /** Held by shielded work, and by a canceller while it stops a running statement: the two never overlap. */
  private final ReentrantLock shield = new ReentrantLock();

  private Cancellation() {}

  public static Cancellation create() {
    return new Cancellation();
  }

  /** Cancels once; later calls do nothing. Registered actions run on the calling thread. */
  public void cancel() {
    if (cancelled.compareAndSet(false, true)) {
      actions.forEach(Runnable::run);
    }
  }

  public boolean isCancelled() {
    return cancelled.get();
  }

  public void throwIfCancelled() {
    if (isCancelled()) {
      throw new EngineException(ErrorCode.CANCELLED, "the operation was cancelled");
    }
  }

  /** Runs {@code action} on cancel (at once if already cancelled) until the returned handle is closed. */
  public Registration onCancel(Runnable action) {
    actions.add(action);
    if (isCancelled()) {
      action.run();
    }
    return () -> actions.remove(action);
  }

  /**
   * Runs work a cancel must not cut short, such as recording what the cloud already did: a cancel that arrives
   * meanwhile stops the work after it, at the next {@link #throwIfCancelled}.
   */
  public <T, X extends Exception> T shielded(Shielded<T, X> work) throws X {
    shield.lock();
    try {
      return work.run();
    } finally {
      shield.unlock();
    }
  }

  /**
   * For whoever stops running work on cancel (cancels the running SQL statement): runs {@code stop} only while no
   * shielded work runs, waiting for it to end first.
   */
  public void outsideShield(Runnable stop) {
    shield.lock();
    try {
      stop.run();
    } finally {
      shield.unlock();
    }
  }

  /** Work for {@link #shielded}. */
  @FunctionalInterface
  public interface Shielded<T, X extends Exception> {
    T run() throws X;
  }

  /** Ends a registration; never throws. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
