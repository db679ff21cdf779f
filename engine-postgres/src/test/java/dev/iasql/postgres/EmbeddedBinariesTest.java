package dev.iasql.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL binaries the embedded server runs sit where only this user can write, and are checked before each
 * start: another local user can neither swap {@code postgres} nor plant files next to it.
 */
class EmbeddedBinariesTest {
  @TempDir Path temp;

  /**
   * zonky's default put the binaries, the temporary data directories and the directory it scans for stale servers to
   * stop under {@code /tmp/embedded-pg}, drwxrwxrwx without the sticky bit.
   */
  @Test
  void theRunningPostgresAndItsTemporaryDataComeFromWhereNoOtherUserCanWrite() throws Exception {
    try (PostgresCluster cluster = PostgresCluster.embedded(EmbeddedOptions.forTests())) {
      Path binary = postmasterBinary(cluster);
      assertNoOtherUserCanWriteOnTheWayTo(binary);
      assertNoOtherUserCanWriteOnTheWayTo(cluster.dataDirectory().orElseThrow());
      assertThat(binary).startsWith(PostgresBinaries.defaultRoot());
      assertThat(permissions(PostgresBinaries.defaultRoot())).isEqualTo("rwx------");
    }
  }

  /** Every directory from {@code path} up to {@code /}; a sticky one (such as /tmp) lets others add, not replace. */
  private static void assertNoOtherUserCanWriteOnTheWayTo(Path path) throws IOException {
    for (Path dir = path.getParent(); dir != null; dir = dir.getParent()) {
      int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      assertThat((mode & 0022) == 0 || (mode & 01000) != 0)
          .as("%s (mode %o) on the way to %s is writable by others", dir, mode & 07777, path).isTrue();
    }
  }

  @Test
  void aTamperedBinaryOrAPlantedFileIsReplacedNotRun() throws Exception {
    Path root = temp.resolve("binaries");
    EmbeddedOptions options = EmbeddedOptions.forTests().withBinariesDirectory(root);
    Path binary;
    try (PostgresCluster cluster = PostgresCluster.embedded(options)) {
      binary = postmasterBinary(cluster);
    }
    assertThat(binary).startsWith(root);
    assertThat(permissions(root)).isEqualTo("rwx------");
    byte[] original = Files.readAllBytes(binary);
    Path ran = temp.resolve("the-tampered-binary-ran");
    Files.writeString(binary, "#!/bin/sh\ntouch " + ran + "\nexit 1\n", UTF_8);
    Path planted = binary.getParent().getParent().resolve("share/postgresql/extension/planted--1.0.sql");
    Files.writeString(planted, "ALTER ROLE tenant SUPERUSER;", UTF_8);

    try (PostgresCluster cluster = PostgresCluster.embedded(options)) {
      assertThat(postmasterBinary(cluster)).isEqualTo(binary);
      assertThat(selectOne(cluster)).isEqualTo(1);
    }
    assertThat(ran).as("the swapped postgres was run").doesNotExist();
    assertThat(Files.readAllBytes(binary)).isEqualTo(original);
    assertThat(planted).doesNotExist();
  }

  /** While others could write to the directory they could also rewrite its manifest: nothing in it is believed. */
  @Test
  void aDirectoryOthersCouldWriteToIsNarrowedAndExtractedAgain() throws Exception {
    Path root = temp.resolve("binaries");
    EmbeddedOptions options = EmbeddedOptions.forTests().withBinariesDirectory(root);
    Path binary;
    try (PostgresCluster cluster = PostgresCluster.embedded(options)) {
      binary = postmasterBinary(cluster);
    }
    byte[] original = Files.readAllBytes(binary);
    Path ran = temp.resolve("the-tampered-binary-ran");
    String fake = "#!/bin/sh\ntouch " + ran + "\nexit 1\n";
    Files.writeString(binary, fake, UTF_8);
    forgeManifest(root, binary);
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));

    try (PostgresCluster cluster = PostgresCluster.embedded(options)) {
      assertThat(selectOne(cluster)).isEqualTo(1);
    }
    assertThat(ran).doesNotExist();
    assertThat(Files.readAllBytes(binary)).isEqualTo(original);
    assertThat(permissions(root)).isEqualTo("rwx------");
  }

  @Test
  void aDirectoryOfAnotherUserIsRefused() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a directory away");
    Path root = Files.createDirectory(temp.resolve("binaries"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    Files.setOwner(root, FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    assertThatThrownBy(() -> PostgresCluster.embedded(EmbeddedOptions.forTests().withBinariesDirectory(root)).close())
        .hasMessageContaining(root + " belongs to nobody, not to root");
  }

  /** What an attacker with write access would do: make the manifest describe the swapped binary. */
  private static void forgeManifest(Path root, Path binary) throws Exception {
    Path manifest;
    try (var files = Files.list(root)) {
      manifest = files.filter(p -> p.toString().endsWith(".sha256")).findFirst().orElseThrow();
    }
    Files.write(manifest, PostgresBinaries.describe(binary.getParent().getParent(), true), UTF_8);
  }

  /** The executable of the running postmaster, from its pid file. */
  private static Path postmasterBinary(PostgresCluster cluster) throws IOException {
    Path pidFile = cluster.dataDirectory().orElseThrow().resolve("postmaster.pid");
    long pid = Long.parseLong(Files.readAllLines(pidFile, UTF_8).get(0).strip());
    return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe"));
  }

  private static int selectOne(PostgresCluster cluster) throws Exception {
    try (Connection c = cluster.adminDataSource("postgres").getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String permissions(Path dir) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS));
  }
}
