package dev.iasql.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The private directory holding the server's unix socket, the one place where the admin is trusted without a password.
 * Mode 0700 makes the directory the access check: only the server's own backends (the bridge's dblink) and this OS user
 * reach the socket. It is {@code <data>/run} when that keeps the socket path short (a unix socket path is limited to
 * about 100 bytes) and plain, else a fresh private temporary directory deleted on close.
 *
 * @param path the directory
 * @param insideDataDirectory true for {@code <data>/run}, which must be created only after initdb (initdb wants an
 *     empty directory) and is kept; false for a temporary directory, created at once and deleted on close
 */
record SocketDirectory(Path path, boolean insideDataDirectory) {

  static final String NAME_IN_DATA_DIRECTORY = "run";

  /** Under this many bytes, the socket path fits every platform's {@code sun_path}. */
  static final int MAX_SOCKET_PATH_BYTES = 100;

  /**
   * zonky hands server options to pg_ctl, which runs them through {@code /bin/sh}; a plain path needs no quoting there,
   * and has no comma (the setting is a comma-separated list).
   */
  private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z0-9/._-]+");

  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  static SocketDirectory choose(Path dataDirectory, int port) throws IOException {
    Path inside = dataDirectory.resolve(NAME_IN_DATA_DIRECTORY);
    if (usable(inside, port)) {
      return new SocketDirectory(inside, true);
    }
    Path temp = Files.createTempDirectory("iasql-pg-", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    if (!usable(temp, port)) {
      Files.delete(temp);
      throw new IllegalStateException("no usable directory for the PostgreSQL socket: " + inside + " and " + temp
          + " are longer than " + MAX_SOCKET_PATH_BYTES + " bytes with the socket name, or not plain paths;"
          + " set java.io.tmpdir to a short plain path");
    }
    return new SocketDirectory(temp, false);
  }

  static boolean usable(Path directory, int port) {
    String dir = directory.toString();
    String socket = dir + "/.s.PGSQL." + port;
    return PLAIN_PATH.matcher(dir).matches() && socket.getBytes(UTF_8).length < MAX_SOCKET_PATH_BYTES;
  }

  /** Creates the directory if needed and makes sure it is a real directory (not a link) with mode 0700. */
  void prepare() throws IOException {
    if (Files.isSymbolicLink(path)) {
      throw new IllegalStateException("the PostgreSQL socket directory " + path + " is a symbolic link; refusing it");
    }
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectory(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }
    Files.setPosixFilePermissions(path, OWNER_ONLY);
  }

  /** Removes a temporary socket directory after the server stopped; {@code <data>/run} stays. */
  void deleteIfTemporary() throws IOException {
    if (insideDataDirectory || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
