package dev.iasql.engine;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets a caller stop an operation. The engine registers what to do (cancel the running SQL statement) while work is
 * under way, so a cancel stops the work, not just the wait.
 */
public final class Cancellation {
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final CopyOnWriteArrayList<Runnable> actions = new CopyOnWriteArrayList<>();

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

  /** Ends a registration; never throws. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
