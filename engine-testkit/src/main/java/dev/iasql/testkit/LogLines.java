package dev.iasql.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * The lines a logger (and the loggers under it) writes while this is open, for a test to look for: a line that says a
 * wait began, or that no warning was written. Needs logback as the test's SLF4J binding (it is an optional dependency of
 * this kit).
 */
public final class LogLines implements AutoCloseable {

  /** One line: its level, its message, the log context's keys (db, op, ...) and its exception's trace, if any. */
  public record Line(String level, String message, Map<String, String> context, String thrown) {

    /** Whether the line is at {@code level} or above ({@code "WARN"} takes WARN and ERROR). */
    public boolean atLeast(String level) {
      return Level.toLevel(this.level).isGreaterOrEqual(Level.toLevel(level));
    }

    @Override
    public String toString() {
      return message + " " + context + (thrown.isEmpty() ? "" : " " + thrown);
    }
  }

  private final Logger logger;
  private final Level levelBefore;
  private final List<Line> lines = new ArrayList<>();
  private final UnsynchronizedAppenderBase<ILoggingEvent> appender = new UnsynchronizedAppenderBase<>() {
    @Override
    protected void append(ILoggingEvent e) {
      Line line = new Line(e.getLevel().toString(), e.getFormattedMessage(), Map.copyOf(e.getMDCPropertyMap()),
          e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
      synchronized (lines) {
        lines.add(line);
      }
    }
  };

  private LogLines(String name, Level level) {
    logger = (Logger) LoggerFactory.getLogger(name);
    levelBefore = logger.getLevel();
    if (level != null) {
      logger.setLevel(level);
    }
    appender.start();
    logger.addAppender(appender);
  }

  /** The lines of the class's logger, at the level the test's logback configuration gives it. */
  public static LogLines of(Class<?> source) {
    return new LogLines(source.getName(), null);
  }

  /** Every line of the named logger and those under it, down to DEBUG (the level is put back on close). */
  public static LogLines debugOf(String logger) {
    return new LogLines(logger, Level.DEBUG);
  }

  /** The lines so far. */
  public List<Line> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** The messages so far. */
  public List<String> messages() {
    return lines().stream().map(Line::message).toList();
  }

  /** Waits, at most {@code within}, until a message matches; whether one did. */
  public boolean await(Predicate<String> message, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (messages().stream().noneMatch(message)) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
    logger.setLevel(levelBefore);
  }
}
