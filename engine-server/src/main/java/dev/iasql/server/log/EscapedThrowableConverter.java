package dev.iasql.server.log;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import java.util.Arrays;

/**
 * {@code %ex} of the server's log: a stack trace keeps its lines, but each exception's message (which may quote a
 * user's value) is escaped onto its own line and bounded. Registered in {@code logback.xml} for {@code ex},
 * {@code exception} and {@code throwable}; the pattern names {@code %ex} itself, or logback would append its own.
 */
public class EscapedThrowableConverter extends ThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy tp) {
    return super.throwableProxyToString(Escaped.of(tp));
  }

  /** The same throwable, its messages and those of its causes and suppressed ones escaped. */
  private record Escaped(IThrowableProxy delegate) implements IThrowableProxy {
    static IThrowableProxy of(IThrowableProxy tp) {
      return tp == null || tp instanceof Escaped ? tp : new Escaped(tp);
    }

    @Override
    public String getMessage() {
      return EscapedMessageConverter.bounded(delegate.getMessage(), EscapedMessageConverter.MAX_CHARS);
    }

    @Override
    public String getOverridingMessage() {
      return EscapedMessageConverter.bounded(delegate.getOverridingMessage(), EscapedMessageConverter.MAX_CHARS);
    }

    @Override
    public String getClassName() {
      return delegate.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
      return delegate.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
      return delegate.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
      return of(delegate.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
      IThrowableProxy[] suppressed = delegate.getSuppressed();
      return suppressed == null ? null : Arrays.stream(suppressed).map(Escaped::of).toArray(IThrowableProxy[]::new);
    }

    @Override
    public boolean isCyclic() {
      return delegate.isCyclic();
    }
  }
}
