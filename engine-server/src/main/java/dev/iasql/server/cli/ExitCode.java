package dev.iasql.server.cli;

/** The exit status of every {@code iasql} command; scripts may rely on these. */
public final class ExitCode {
  /** Done; for {@code serve}, also a clean stop on SIGTERM or SIGINT. */
  public static final int OK = 0;

  /** The operation failed: an error from the engine (its SQLSTATE is printed) or a server that could not start. */
  public static final int FAILED = 1;

  /** The command line was wrong (picocli's own code for usage errors). */
  public static final int USAGE = 2;

  /** No server answers: start one with {@code ./iasql serve}. */
  public static final int NOT_RUNNING = 3;

  private ExitCode() {}
}
