package dev.iasql.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL binaries the embedded server runs, kept where only this user can write and checked before every start.
 *
 * <p>zonky extracts them under the system temp directory, which it makes world-writable without the sticky bit: any
 * local user could swap the {@code postgres} binary the next start runs as this user. Here they live in a private root
 * ({@link #defaultRoot()}, mode 0700, owned by this user), extracted by us from zonky's own archive under a file lock,
 * with a manifest written at extraction: every entry with its type, mode and link target, and every file with its size,
 * SHA-256, inode and ctime. Every start compares the tree with it; anything changed, added or removed is thrown away
 * and extracted again, so a tampered binary is never run. The start compares inodes and ctimes rather than hashing
 * again: any write, replacement, chmod or rename gives a file a new ctime (which no user can set back), and that costs
 * a few milliseconds where hashing 60 MB costs 1.3 s in a fresh JVM (2.7 s in one limited to C1), at every start.
 * zonky then finds the tree where it expects it ({@code <work>/PG-<md5 of the archive>}, with its {@code .exists}
 * marker) and extracts nothing.
 */
final class PostgresBinaries {
  private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);

  private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
  /** Written by zonky in the tree (its readiness marker and extraction lock): not part of what we verify. */
  private static final Set<String> ZONKY_FILES = Set.of(".exists", "epg-lock");

  private PostgresBinaries() {}

  /** {@code $XDG_CACHE_HOME/iasql/postgres}, else {@code ~/.cache/iasql/postgres}: one extraction per user. */
  static Path defaultRoot() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache = xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".cache");
    return cache.resolve("iasql").resolve("postgres");
  }

  /** zonky's working directory under a prepared root, and the resolver to hand zonky with it. */
  record Prepared(Path work, Resolver resolver) {}

  /**
   * Makes {@code root} private, verifies (or extracts) the binaries in it, and returns zonky's working directory.
   *
   * @throws IllegalStateException if {@code root} belongs to another user or is not a plain directory
   */
  static Prepared prepare(Path root) {
    long started = System.nanoTime();
    try {
      boolean trusted = makePrivate(root);
      Path work = root.resolve("work");
      try (FileChannel lockFile = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
          FileLock lock = lockFile.lock()) {
        if (!trusted) {
          // Another user could write here until now: nothing in it, manifests included, can be believed.
          deleteTree(work);
          try (Stream<Path> manifests = Files.list(root)) {
            for (Path m : (Iterable<Path>) manifests.filter(p -> p.toString().endsWith(".sha256"))::iterator) {
              Files.delete(m);
            }
          }
        }
        byte[] archive = archive();
        String name = "PG-" + HexFormat.of().formatHex(digest("MD5").digest(archive)); // zonky's directory name
        Path tree = work.resolve(name);
        Path manifest = root.resolve(name + ".sha256");
        String difference = difference(tree, manifest);
        if (difference != null) {
          if (Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
            log.warn("the PostgreSQL binaries in {} are not the ones extracted ({}); extracting them again", tree,
                difference);
          }
          extract(archive, work, tree, manifest);
        } else {
          log.debug("verified the PostgreSQL binaries in {} in {} ms", tree, (System.nanoTime() - started) / 1_000_000);
        }
        return new Prepared(work, new Resolver(root, archive));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare the PostgreSQL binaries in " + root, e);
    }
  }

  /** Where temporary data directories go and zonky looks for stale ones: inside the private root. */
  static Path scratch(Path root) {
    try {
      return Files.createDirectories(root.resolve("scratch"));
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + root.resolve("scratch"), e);
    }
  }

  /** zonky makes its working directory world-writable at every start; inside the private root that reaches no one. */
  static void tidy(Path work) {
    try {
      Files.setPosixFilePermissions(work, PRIVATE);
    } catch (IOException e) {
      log.debug("could not narrow {} again: {}", work, e.toString());
    }
  }

  /**
   * The archive for zonky, which reads it at every start to name the directory: reading it from the class path takes
   * a second in a fresh JVM, so zonky gets the bytes already read, once. Equal per root: zonky caches the extracted
   * directory per resolver (and keeps the first one as a key for good, which is why it lets go of the bytes).
   */
  static final class Resolver implements PgBinaryResolver {
    private final Path root;
    private final AtomicReference<byte[]> archive;

    Resolver(Path root, byte[] archive) {
      this.root = root;
      this.archive = new AtomicReference<>(archive);
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
      byte[] read = archive.getAndSet(null);
      return read != null ? new ByteArrayInputStream(read)
          : DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Resolver r && r.root.equals(root);
    }

    @Override
    public int hashCode() {
      return root.hashCode();
    }
  }

  /**
   * Creates {@code root} as 0700, or checks the one there: ours, a real directory. Returns false when it was open to
   * others (its contents are then not to be trusted); it is 0700 afterwards.
   */
  private static boolean makePrivate(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(root.getParent());
      try {
        Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PRIVATE));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        return makePrivate(root);
      }
      Files.setPosixFilePermissions(root, PRIVATE); // the umask may have taken more than asked
      return true;
    }
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalStateException(root + " should be a directory of PostgreSQL binaries but is a link or a file;"
          + " remove it");
    }
    UserPrincipal owner = Files.getOwner(root, LinkOption.NOFOLLOW_LINKS);
    UserPrincipal me = FileSystems.getDefault().getUserPrincipalLookupService()
        .lookupPrincipalByName(System.getProperty("user.name"));
    if (!owner.equals(me)) {
      throw new IllegalStateException(root + " belongs to " + owner.getName() + ", not to " + me.getName()
          + " who runs the server: its PostgreSQL binaries cannot be trusted; remove it");
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(root, LinkOption.NOFOLLOW_LINKS);
    if (permissions.equals(PRIVATE)) {
      return true;
    }
    log.warn("{} was open to other users ({}); narrowed to rwx------, its binaries are extracted again", root,
        PosixFilePermissions.toString(permissions));
    Files.setPosixFilePermissions(root, PRIVATE);
    return false;
  }

  /** Why the tree is not the one the manifest describes, or null when it is. */
  private static String difference(Path tree, Path manifest) throws IOException {
    if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
      return "no manifest";
    }
    if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) {
      return "missing";
    }
    // The manifest's hashes were taken at extraction; what proves the files are still those is their identity.
    List<String> expected = Files.readAllLines(manifest, UTF_8).stream().map(PostgresBinaries::withoutHash).toList();
    List<String> actual = describe(tree, false);
    for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
      String e = i < expected.size() ? expected.get(i) : null;
      String a = i < actual.size() ? actual.get(i) : null;
      if (e == null || !e.equals(a)) {
        return a == null ? "missing: " + e.split(" ", 3)[1] : e == null ? "added: " + a.split(" ", 3)[1]
            : "changed: " + a.split(" ", 3)[1];
      }
    }
    return null;
  }

  /**
   * One line per entry, sorted: {@code d path mode}, {@code l path target}, {@code f path mode size inode ctime sha256}
   * (the hash only when {@code hash}; {@code -} otherwise).
   */
  static List<String> describe(Path tree, boolean hash) throws IOException {
    List<String> lines = new ArrayList<>();
    MessageDigest sha = digest("SHA-256");
    try (Stream<Path> all = Files.walk(tree)) {
      for (Path p : (Iterable<Path>) all.sorted()::iterator) {
        String rel = tree.relativize(p).toString();
        if (rel.isEmpty() || (p.getParent().equals(tree) && ZONKY_FILES.contains(rel))) {
          continue;
        }
        Map<String, Object> stat = Files.readAttributes(p, "unix:mode,size,ino,ctime", LinkOption.NOFOLLOW_LINKS);
        String mode = Integer.toOctalString((Integer) stat.get("mode") & 07777);
        if (Files.isSymbolicLink(p)) {
          lines.add("l " + rel + " " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          lines.add("d " + rel + " " + mode);
        } else {
          String digest = "-";
          if (hash) {
            sha.reset();
            try (InputStream in = new DigestInputStream(Files.newInputStream(p), sha)) {
              in.transferTo(OutputStream.nullOutputStream());
            }
            digest = HexFormat.of().formatHex(sha.digest());
          }
          FileTime ctime = (FileTime) stat.get("ctime");
          lines.add("f " + rel + " " + mode + " " + stat.get("size") + " " + stat.get("ino") + " "
              + ctime.to(TimeUnit.NANOSECONDS) + " " + digest);
        }
      }
    }
    return lines;
  }

  /** Extracts into a fresh directory, moves it into place, then writes the manifest and zonky's marker. */
  private static void extract(byte[] archive, Path work, Path tree, Path manifest) throws IOException {
    long started = System.nanoTime();
    Files.deleteIfExists(manifest);
    Files.createDirectories(work);
    Path fresh = Files.createTempDirectory(work, ".extracting-");
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        Path target = fresh.resolve(entry.getName()).normalize();
        if (!target.startsWith(fresh)) {
          throw new IOException("archive entry outside its directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (entry.isSymbolicLink() || entry.isLink()) {
          Files.createDirectories(target.getParent());
          Files.createSymbolicLink(target, Path.of(entry.getLinkName())); // as zonky does, hard links too
        } else if (entry.isFile()) {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target);
          if ((entry.getMode() & 0111) != 0 || entry.getName().replaceFirst("^\\./", "").startsWith("bin/")) {
            target.toFile().setExecutable(true, true);
          }
        } else {
          throw new IOException("unexpected archive entry " + entry.getName());
        }
      }
    } catch (IOException | RuntimeException e) {
      deleteTree(fresh);
      throw e;
    }
    List<String> lines = describe(fresh, true);
    deleteTree(tree);
    Files.move(fresh, tree, StandardCopyOption.ATOMIC_MOVE);
    Path pending = manifest.resolveSibling(manifest.getFileName() + ".new");
    Files.write(pending, lines, UTF_8);
    Files.move(pending, manifest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    // zonky takes the tree as ready when its marker is at least as new as everything in the directory.
    Path marker = tree.resolve(".exists");
    Files.createFile(marker);
    Files.setLastModifiedTime(marker, FileTime.fromMillis(System.currentTimeMillis() + 1000));
    log.info("extracted the PostgreSQL binaries into {} in {} ms", tree, (System.nanoTime() - started) / 1_000_000);
  }

  private static String withoutHash(String line) {
    return line.startsWith("f ") ? line.substring(0, line.lastIndexOf(' ')) + " -" : line;
  }

  private static byte[] archive() throws IOException {
    try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system(), architecture())) {
      if (in == null) {
        throw new IllegalStateException("no embedded PostgreSQL binaries for " + system() + " " + architecture());
      }
      return in.readAllBytes();
    }
  }

  /** zonky's names for this system (its own methods are private). */
  private static String system() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    return os.startsWith("linux") ? "Linux" : os.startsWith("mac") ? "Darwin" : os.startsWith("windows") ? "Windows"
        : os;
  }

  private static String architecture() {
    String arch = System.getProperty("os.arch");
    return "amd64".equals(arch) ? "x86_64" : arch;
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this JVM", e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
