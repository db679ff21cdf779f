package dev.iasql.engine.operation;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * One key of the log's context (SLF4J's MDC) set for a block, and put back as it was when the block ends. {@code
 * MDC.putCloseable} removes the key instead: a call that set {@code db}, then ran an install that set {@code db} too,
 * logged its own end with no database.
 */
public final class LogContext implements AutoCloseable {
  private final String key;
  private final @Nullable String previous;

  private LogContext(String key, @Nullable String previous) {
    this.key = key;
    this.previous = previous;
  }

  /** Sets {@code key} to {@code value} until the returned context is closed. */
  public static LogContext put(String key, String value) {
    LogContext context = new LogContext(key, MDC.get(key));
    MDC.put(key, value);
    return context;
  }

  @Override
  public void close() {
    if (previous == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, previous);
    }
  }
}
