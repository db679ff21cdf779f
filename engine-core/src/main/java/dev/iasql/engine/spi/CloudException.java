package dev.iasql.engine.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A cloud request failed. The message names the request and carries the provider's own error code (such as
 * {@code InvalidGroup.Duplicate}), so the user sees exactly what the cloud said.
 */
public class CloudException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** The error code of a database that has no credentials yet. */
  public static final String NO_CREDENTIALS = "NoCredentials";

  private final Kind kind;
  private final String errorCode;
  @Nullable private final String hint;

  public CloudException(Kind kind, String errorCode, String message, @Nullable Throwable cause) {
    this(kind, errorCode, message, null, cause);
  }

  /** @param hint what the user can do about it, when the provider's module knows better than the engine */
  public CloudException(Kind kind, String errorCode, String message, @Nullable String hint,
      @Nullable Throwable cause) {
    super(requireNonNull(message, "message is null"), cause);
    this.kind = requireNonNull(kind, "kind is null");
    this.errorCode = requireNonNull(errorCode, "errorCode is null");
    this.hint = hint;
  }

  public Optional<String> hint() {
    return Optional.ofNullable(hint);
  }

  public Kind kind() {
    return kind;
  }

  /** The provider's error code, such as {@code AuthFailure}. */
  public String errorCode() {
    return errorCode;
  }

  public enum Kind {
    /** The credentials are missing, unknown or not allowed. */
    CREDENTIALS,
    /** The request itself was refused or failed. */
    REQUEST,
    /** The cloud's endpoint could not be reached at all (name not resolved, connection refused, no network). */
    UNREACHABLE
  }
}
