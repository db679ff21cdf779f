package dev.iasql.server.log;

import ch.qos.logback.classic.pattern.MDCConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %X} of the server's log: MDC values (db, module, verb …) escaped onto one line and bounded like messages, in
 * case one ever holds a value a user chose. Registered in {@code logback.xml} for {@code X} and {@code mdc}.
 */
public class EscapedMdcConverter extends MDCConverter {
  static final int MAX_CHARS = 256;

  @Override
  public String convert(ILoggingEvent event) {
    return EscapedMessageConverter.bounded(super.convert(event), MAX_CHARS);
  }
}
