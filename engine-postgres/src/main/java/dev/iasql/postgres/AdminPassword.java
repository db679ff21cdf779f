package dev.iasql.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded admin's password: generated once per data directory and kept in {@code <data>/admin-password}, readable
 * by the owner only, so that a later start of the same directory (by this or another engine process) can log in.
 */
final class AdminPassword {

  static final String FILE_NAME = "admin-password";

  private static final Logger log = LoggerFactory.getLogger(AdminPassword.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_ATTRIBUTE =
      PosixFilePermissions.asFileAttribute(OWNER_ONLY);
  private static final SecureRandom RANDOM = new SecureRandom();

  private AdminPassword() {}

  /** 256 random bits as 64 hex characters: no character that needs quoting anywhere. */
  static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Writes the password file of a freshly initialised data directory (atomically, created 0600, never wider). */
  static void store(Path dataDirectory, String password) throws IOException {
    Path target = dataDirectory.resolve(FILE_NAME);
    Path temp = Files.createTempFile(dataDirectory, FILE_NAME, ".tmp", OWNER_ONLY_ATTRIBUTE);
    try {
      Files.writeString(temp, password + "\n", UTF_8);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Reads the password back from an initialised data directory; a file others can read is narrowed to 0600 with a
   * warning (the password may have leaked: change it with ALTER ROLE and rewrite the file).
   */
  static String load(Path dataDirectory) throws IOException {
    Path file = dataDirectory.resolve(FILE_NAME);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalStateException("the PostgreSQL data directory " + dataDirectory + " has no " + FILE_NAME
          + " file, so its admin password is unknown. It was not created by this engine, or its first start failed;"
          + " if it holds no data, delete the directory and start again.");
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
    if (!OWNER_ONLY.containsAll(permissions)) {
      log.warn("{} was readable by others ({}); narrowed to rw-------", file, PosixFilePermissions.toString(permissions));
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
    String password = Files.readString(file, UTF_8).strip();
    if (password.isEmpty()) {
      throw new IllegalStateException(file + " is empty");
    }
    return password;
  }

  /**
   * A short-lived 0600 file for {@code initdb --pwfile}, outside the data directory (initdb wants that one empty), so
   * the password never appears on a command line. The caller deletes it.
   */
  static Path initdbPasswordFile(String password) throws IOException {
    Path file = Files.createTempFile("iasql-initdb-", ".pw", OWNER_ONLY_ATTRIBUTE);
    Files.writeString(file, password + "\n", UTF_8);
    return file;
  }
}
