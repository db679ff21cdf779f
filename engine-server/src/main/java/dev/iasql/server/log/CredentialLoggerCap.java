package dev.iasql.server.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;

/**
 * Keeps the AWS SDK and its HTTP client at INFO and above whatever level is configured ({@code IASQL_LOG_LEVEL=DEBUG}
 * or TRACE, or a logger element): below INFO the SDK's signer prints canonical requests with the
 * {@code x-amz-security-token} and the signature, and the Apache client's header and wire logs print whole requests,
 * {@code Authorization} included. A turbo filter decides before levels are looked at, so no configuration of those
 * loggers' levels can turn this off, and the SDK's own {@code isDebugEnabled()} checks see it too.
 */
public class CredentialLoggerCap extends TurboFilter {
  static final List<String> CAPPED = List.of("software.amazon.awssdk", "org.apache.http", "org.apache.hc");

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level == null || level.isGreaterOrEqual(Level.INFO) || !capped(logger.getName())) {
      return FilterReply.NEUTRAL;
    }
    return FilterReply.DENY;
  }

  static boolean capped(String loggerName) {
    for (String prefix : CAPPED) {
      if (loggerName.startsWith(prefix)
          && (loggerName.length() == prefix.length() || loggerName.charAt(prefix.length()) == '.')) {
        return true;
      }
    }
    return false;
  }
}
