package dev.iasql.server.cli;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A failure the user can act on. It is printed to stderr the way psql prints a server error ({@code ERROR:  IQ301:
 * message}, then {@code DETAIL:} and {@code HINT:} lines), without a stack trace, and the command exits with {@link
 * #exitCode()}. Anything else escaping a command is a bug, reported with its stack trace.
 */
public final class CommandFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;
  private final String sqlState;
  private final String detail;
  private final String hint;

  /**
   * @param sqlState the SQLSTATE when the error comes from PostgreSQL or the engine, else null
   * @param detail null for none
   * @param hint what to do; null for none
   */
  public CommandFailure(int exitCode, String sqlState, String message, String detail, String hint, Throwable cause) {
    super(requireNonNull(message, "message is null"), cause);
    if (exitCode == ExitCode.OK) {
      throw new IllegalArgumentException("a failure cannot exit with 0");
    }
    this.exitCode = exitCode;
    this.sqlState = sqlState;
    this.detail = detail;
    this.hint = hint;
  }

  public static CommandFailure of(int exitCode, String message, String hint) {
    return new CommandFailure(exitCode, null, message, null, hint, null);
  }

  public static CommandFailure of(int exitCode, String message, String hint, Throwable cause) {
    return new CommandFailure(exitCode, null, message, null, hint, cause);
  }

  public int exitCode() {
    return exitCode;
  }

  /** The SQLSTATE, or null when the failure did not come from PostgreSQL or the engine. */
  public String sqlState() {
    return sqlState;
  }

  /** What to print, one entry per line. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add("ERROR:  " + (sqlState != null ? sqlState + ": " : "") + getMessage());
    if (detail != null && !detail.isBlank()) {
      lines.add("DETAIL:  " + detail);
    }
    if (hint != null && !hint.isBlank()) {
      lines.add("HINT:  " + hint);
    }
    return lines;
  }
}
