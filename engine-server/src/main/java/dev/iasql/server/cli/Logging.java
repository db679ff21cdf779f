package dev.iasql.server.cli;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Log levels of the program; the configuration itself is {@code logback.xml} in the jar. */
public final class Logging {
  /** Sets the root level (TRACE, DEBUG, INFO, WARN, ERROR); read by {@code logback.xml}. */
  public static final String LEVEL_ENV = "IASQL_LOG_LEVEL";

  private Logging() {}

  /**
   * For short client commands, whose output is their result: only warnings and errors are logged, unless {@value
   * #LEVEL_ENV} asks for more.
   */
  public static void quietUnlessConfigured() {
    if (System.getenv(LEVEL_ENV) != null) {
      return;
    }
    if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(Level.WARN);
    }
  }
}
