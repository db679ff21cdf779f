package dev.iasql.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Records the upgrade's progress lines as the engine logs them, with the {@link System#nanoTime()} of the moment: the
 * engine runs in the bench's JVM, and logback appends on the logging thread, so the time is when the engine reported
 * the line. The upgrader logs each line as {@code upgrade <db>: <line>}; the recorder keeps {@code <line>}.
 */
final class ProgressLog extends AppenderBase<ILoggingEvent> {
  /** The upgrader's logger (dev.iasql.engine.upgrade.Upgrader), which logs every progress line of an upgrade. */
  static final String LOGGER = dev.iasql.engine.upgrade.Upgrader.class.getName();

  private final List<UpgradePhases.Line> lines = new ArrayList<>();

  private ProgressLog() {}

  /** Attaches a recorder to the upgrader's logger, at INFO whatever {@code bench.engineLogLevel} says. */
  static ProgressLog attach() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ProgressLog log = new ProgressLog();
    log.setContext(context);
    log.setName("upgrade-progress");
    log.start();
    Logger logger = context.getLogger(LOGGER);
    logger.setLevel(Level.INFO);
    logger.addAppender(log);
    return log;
  }

  @Override
  protected void append(ILoggingEvent event) {
    long now = System.nanoTime();
    Object[] args = event.getArgumentArray();
    String text = args != null && args.length == 2 ? String.valueOf(args[1]) : event.getFormattedMessage();
    synchronized (lines) {
      lines.add(new UpgradePhases.Line(now, text));
    }
  }

  /** The lines recorded so far, and forgets them. */
  List<UpgradePhases.Line> drain() {
    synchronized (lines) {
      List<UpgradePhases.Line> out = List.copyOf(lines);
      lines.clear();
      return out;
    }
  }
}
