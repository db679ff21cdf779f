package dev.iasql.server.serve;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code <data-dir>/server.properties}: written by {@code iasql serve} once its engine accepts calls, deleted when it
 * stops cleanly, read by the {@code db} commands to find the server. It holds no secret: the admin password stays in
 * {@code admin-password}. A file left by a killed server names a dead process, which {@link #processAlive()} detects.
 *
 * @param pid the serving JVM
 * @param host where PostgreSQL listens
 * @param port the PostgreSQL port
 * @param adminUser the role the {@code db} commands log in as (with the password in {@code admin-password})
 * @param version the program's version
 * @param startedAt when the server became ready
 */
public record ServerFile(long pid, String host, int port, String adminUser, String version, Instant startedAt) {
  public static final String FILE_NAME = "server.properties";

  public ServerFile {
    requireNonNull(host, "host is null");
    requireNonNull(adminUser, "adminUser is null");
    requireNonNull(version, "version is null");
    requireNonNull(startedAt, "startedAt is null");
    if (pid <= 0) {
      throw new IllegalArgumentException("pid must be positive, not " + pid);
    }
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  public static Path path(Path dataDirectory) {
    return dataDirectory.resolve(FILE_NAME);
  }

  /** The file of a data directory; empty if there is none. */
  public static Optional<ServerFile> read(Path dataDirectory) throws IOException {
    Path file = path(dataDirectory);
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, UTF_8)) {
      p.load(in);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ServerFile(
          Long.parseLong(required(p, "pid")),
          required(p, "host"),
          Integer.parseInt(required(p, "port")),
          required(p, "admin_user"),
          p.getProperty("version", "unknown"),
          Instant.parse(required(p, "started_at"))));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IOException(file + " is malformed (" + e.getMessage() + "); if no server runs on this data directory,"
          + " delete it", e);
    }
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("no " + key);
    }
    return value.strip();
  }

  /** Whether the process that wrote the file still runs. */
  public boolean processAlive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Writes the file atomically: a reader sees the old file, none, or the whole new one. */
  void write(Path dataDirectory) throws IOException {
    String text = "# Written by iasql serve while it runs (deleted when it stops): how ./iasql db finds it.\n"
        + "# The admin password is in admin-password, not here.\n"
        + "pid=" + pid + "\n"
        + "host=" + escape(host) + "\n"
        + "port=" + port + "\n"
        + "admin_user=" + escape(adminUser) + "\n"
        + "version=" + escape(version) + "\n"
        + "started_at=" + startedAt + "\n";
    Path target = path(dataDirectory);
    Path temp = Files.createTempFile(dataDirectory, FILE_NAME, ".tmp");
    try {
      Files.writeString(temp, text, UTF_8);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Deletes the file if it is still the one {@code pid} wrote; another server's file is left alone. */
  static void deleteIfWrittenBy(Path dataDirectory, long pid) throws IOException {
    Optional<ServerFile> current;
    try {
      current = read(dataDirectory);
    } catch (IOException malformed) {
      return;
    }
    if (current.isPresent() && current.get().pid() == pid) {
      Files.deleteIfExists(path(dataDirectory));
    }
  }

  static boolean exists(Path dataDirectory) {
    return Files.exists(path(dataDirectory), LinkOption.NOFOLLOW_LINKS);
  }

  /** Properties-file escaping for the few characters that need it in a value. */
  private static String escape(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
