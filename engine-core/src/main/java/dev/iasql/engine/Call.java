package dev.iasql.engine;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How one call of a guarded operation is controlled: its cancellation, where its progress goes, and optionally the
 * connection to do the work on. The SQL bridge passes the connection that holds the request's lock, so the session a
 * caller waits for is the session doing the work, and a cycle between a caller's open transaction and the engine can
 * be seen (by the caller's own check, or PostgreSQL's detector) instead of both waiting forever. Without one, the
 * engine borrows from its pool.
 */
public record Call(Cancellation cancellation, Progress progress, @Nullable Connection connection) {
  public Call {
    requireNonNull(cancellation, "cancellation is null");
    requireNonNull(progress, "progress is null");
  }

  /** A call with its own cancellation and no progress listener, on a pooled connection. */
  public static Call create() {
    return new Call(Cancellation.create(), Progress.NONE, null);
  }

  /** A call on a connection the caller owns (and closes); it must be open on the permit's database. */
  public static Call on(Connection connection, Cancellation cancellation, Progress progress) {
    return new Call(cancellation, progress, requireNonNull(connection, "connection is null"));
  }

  public Optional<Connection> borrowed() {
    return Optional.ofNullable(connection);
  }

  /** Receives one line per step of long work, as it happens. Must be quick and must not throw. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = message -> {};

    void report(String message);
  }
}
