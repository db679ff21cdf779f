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
 */
public record EmbeddedOptions(Path dataDirectory, int port, Durability durability, Path binariesDirectory) {

  public EmbeddedOptions {
    requireNonNull(durability, "durability is null");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, not " + port);
    }
    if (dataDirectory != null) {
      dataDirectory = dataDirectory.toAbsolutePath().normalize();
    }
    if (binariesDirectory != null) {
      binariesDirectory = binariesDirectory.toAbsolutePath().normalize();
    }
  }

  /** The binaries in the user's cache directory. */
  public EmbeddedOptions(Path dataDirectory, int port, Durability durability) {
    this(dataDirectory, port, durability, null);
  }

  /** The same, with the PostgreSQL binaries kept in {@code dir}. */
  public EmbeddedOptions withBinariesDirectory(Path dir) {
    return new EmbeddedOptions(dataDirectory, port, durability, requireNonNull(dir, "dir is null"));
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
