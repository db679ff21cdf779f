package dev.iasql.server.log;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.iasql.engine.error.UserText;

/**
 * {@code %msg} of the server's log: messages carry values users typed (module names, database names, error messages
 * quoting them), so each message is escaped onto one line (no forged log lines, no terminal escapes) and cut after
 * {@value #MAX_CHARS} characters (no argument can flood the log). Registered in {@code logback.xml} for {@code msg},
 * {@code m} and {@code message}, so no pattern and no call site can forget it.
 */
public class EscapedMessageConverter extends MessageConverter {
  /** Far above any message the engine writes on purpose. */
  static final int MAX_CHARS = 8192;

  @Override
  public String convert(ILoggingEvent event) {
    return bounded(super.convert(event), MAX_CHARS);
  }

  /** Escaped, and cut after {@code max} characters of the original with how many were left out. */
  static String bounded(String text, int max) {
    if (text == null) {
      return null;
    }
    if (text.length() <= max) {
      return UserText.escape(text);
    }
    return UserText.escape(text.substring(0, max)) + "… (" + (text.length() - max) + " more characters)";
  }
}
