package dev.iasql.postgres;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Where and how to run an embedded server.
 *
 * @param dataDirectory the cluster's data directory, created and initialised on first use and reused afterwards; {@code
 *     null} means a fresh temporary directory, deleted when the cluster closes
 * @param port the TCP port on 127.0.0.1; 0 picks a free one
 * @param durability fsync and friends, see {@link Durability}
 * @param binariesDirectory where the PostgreSQL binaries are kept and checked (mode 0700, this user's); {@code null}
 *     means the user's cache directory, {@code ~/.cache/iasql/postgres}
 * @param maxConnections PostgreSQL's {@code max_connections}: every session counts, the engine's and the tenants'
 *     ({@value #DEFAULT_MAX_CONNECTIONS} unless set, {@value #MIN_MAX_CONNECTIONS}–{@value #MAX_MAX_CONNECTIONS})
 */
public record EmbeddedOptions(Path dataDirectory, int port, Durability durability, Path binariesDirectory,
    int maxConnections) {
  public static final int DEFAULT_MAX_CONNECTIONS = 300;
  /** Below this, the superuser's reserved slots and one engine's own sessions leave tenants almost nothing. */
  public static final int MIN_MAX_CONNECTIONS = 20;
  /** Each slot costs shared memory whether used or not; past this a pooler in front is the better answer. */
  public static final int MAX_MAX_CONNECTIONS = 10_000;

  public EmbeddedOptions {
    requireNonNull(durability, "durability is null");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, not " + port);
    }
    if (maxConnections < MIN_MAX_CONNECTIONS || maxConnections > MAX_MAX_CONNECTIONS) {
      throw new IllegalArgumentException("max_connections must be " + MIN_MAX_CONNECTIONS + "-" + MAX_MAX_CONNECTIONS
          + ", not " + maxConnections);
    }
    if (dataDirectory != null) {
      dataDirectory = dataDirectory.toAbsolutePath().normalize();
    }
    if (binariesDirectory != null) {
      binariesDirectory = binariesDirectory.toAbsolutePath().normalize();
    }
  }

  /** The binaries in the user's cache directory, {@value #DEFAULT_MAX_CONNECTIONS} connections. */
  public EmbeddedOptions(Path dataDirectory, int port, Durability durability) {
    this(dataDirectory, port, durability, null, DEFAULT_MAX_CONNECTIONS);
  }

  /** The same, with the PostgreSQL binaries kept in {@code dir}. */
  public EmbeddedOptions withBinariesDirectory(Path dir) {
    return new EmbeddedOptions(dataDirectory, port, durability, requireNonNull(dir, "dir is null"), maxConnections);
  }

  /** The same, with PostgreSQL's {@code max_connections} set to {@code n}. */
  public EmbeddedOptions withMaxConnections(int n) {
    return new EmbeddedOptions(dataDirectory, port, durability, binariesDirectory, n);
  }

  /** A throwaway server for tests: temporary data directory, free port, {@link Durability#FAST}. */
  public static EmbeddedOptions forTests() {
    return new EmbeddedOptions(null, 0, Durability.FAST);
  }

  /** A real server whose data lives in {@code dir} ({@link Durability#DURABLE}); {@code port} 0 picks a free one. */
  public static EmbeddedOptions persistent(Path dir, int port) {
    return new EmbeddedOptions(requireNonNull(dir, "dir is null"), port, Durability.DURABLE);
  }
}
