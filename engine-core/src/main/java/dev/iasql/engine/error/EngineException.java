package dev.iasql.engine.error;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one exception type of the engine. Message says what failed, detail which row or module, hint what to do; the
 * bridge maps them onto PostgreSQL's MESSAGE, DETAIL and HINT.
 */
public class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Code code;
  @Nullable private final String detail;
  @Nullable private final String hint;
  @Nullable private final transient Object output;

  public EngineException(Code code, String message) {
    this(code, message, null, null, null);
  }

  public EngineException(
      Code code,
      String message,
      @Nullable String detail,
      @Nullable String hint,
      @Nullable Throwable cause) {
    this(code, message, detail, hint, cause, null);
  }

  /**
   * An operation that stopped after it had changed something: {@code output} is what it did (the operation log keeps
   * it as the call's output).
   */
  public EngineException(
      Code code,
      String message,
      @Nullable String detail,
      @Nullable String hint,
      @Nullable Throwable cause,
      @Nullable Object output) {
    super(requireNonNull(message, "message is null"), cause);
    this.code = requireNonNull(code, "code is null");
    this.detail = detail;
    this.hint = hint;
    this.output = output;
  }

  public static EngineException withHint(Code code, String message, String hint) {
    return new EngineException(code, message, null, hint, null);
  }

  public Code code() {
    return code;
  }

  public Optional<String> detail() {
    return Optional.ofNullable(detail);
  }

  public Optional<String> hint() {
    return Optional.ofNullable(hint);
  }

  /** What the operation did before it stopped, when it did anything. */
  public Optional<Object> output() {
    return Optional.ofNullable(output);
  }
}
