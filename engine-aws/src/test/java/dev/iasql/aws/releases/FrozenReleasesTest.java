package dev.iasql.aws.releases;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.Module;
import dev.iasql.engine.spi.ModuleName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each release's DDL per module is a frozen file with a checksum ({@link FrozenDdl}); this keeps them true. Every
 * module of every release must install exactly its file: the latest release's from today's code and specs (a change
 * there without a new release fails here, with a diff), older ones from the file itself. Every file must match its
 * checksum, so an edit of a shipped release fails too.
 *
 * <p>Freezing a new release (after declaring it in {@link ReleaseCatalog} and moving its modules to it):
 * {@code mvn -B -o -pl engine-aws -am verify -Dtest=FrozenReleasesTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dreleases.freeze=0.0.22} writes its files, and refuses a release that already has them.
 */
class FrozenReleasesTest {
  /** The module's resources: the test runs in engine-aws. */
  static final Path ROOT = Path.of("src/main/resources/dev/iasql/aws/releases");
  private static final ReleaseCatalog RELEASES = ReleaseCatalog.standard();

  @Test
  void everyModuleOfEveryReleaseInstallsItsFrozenDdl() throws IOException {
    for (String release : System.getProperty("releases.freeze", "").split(",")) {
      if (!release.isBlank()) {
        freeze(ROOT, release.strip(), modules());
      }
    }
    assertThat(problems(ROOT, modules())).as("the frozen releases under " + ROOT.toAbsolutePath()).isEmpty();
  }

  @Test
  void anEditedFrozenFileIsCaughtByItsChecksum(@TempDir Path dir) throws IOException {
    String release = RELEASES.latest();
    List<Module> latest = modules().stream().filter(m -> m.version().equals(release)).toList();
    freeze(dir, release, latest);
    assertThat(problems(dir, latest)).as("a fresh freeze passes").isEmpty();
    Path vpc = dir.resolve(release).resolve("aws_vpc.sql");
    Files.writeString(vpc, Files.readString(vpc).replace("\"cidr_block\" cidr NOT NULL",
        "\"cidr_block\" text NOT NULL"));

    assertThat(problems(dir, latest)).anySatisfy(p -> assertThat(p).contains(release + "/aws_vpc.sql")
        .contains("checksum")).anySatisfy(p -> assertThat(p).contains("aws_vpc@" + release)
        .containsPattern("(?m)^- +\"cidr_block\" text NOT NULL")
        .containsPattern("(?m)^\\+ +\"cidr_block\" cidr NOT NULL"));
  }

  @Test
  void freezingRefusesAReleaseThatHasItsFiles(@TempDir Path dir) throws IOException {
    for (String release : RELEASES.known()) {
      List<String> before = listing(ROOT.resolve(release));
      assertThatThrownBy(() -> freeze(ROOT, release, modules())).hasMessageContaining(release)
          .hasMessageContaining("already frozen");
      assertThat(listing(ROOT.resolve(release))).isEqualTo(before);
    }
    assertThatThrownBy(() -> freeze(dir, "9.9.9", modules())).as("a release the catalogue does not declare")
        .hasMessageContaining("9.9.9").hasMessageContaining("ReleaseCatalog");
  }

  @Test
  void aModuleServedFromItsFrozenFileRefusesAnEditedOne() throws IOException {
    // The class path's copy, which the engine reads: the same bytes as the source tree's (the build copies them).
    assertThat(FrozenDdl.of(ReleaseCatalog.V0_0_18, ModuleName.of("aws_vpc")))
        .containsExactly(Files.readString(ROOT.resolve(ReleaseCatalog.V0_0_18).resolve("aws_vpc.sql")));
    assertThatThrownBy(() -> FrozenDdl.of("9.9.9", ModuleName.of("aws_vpc")))
        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code().sqlState()).isEqualTo("IQ209"))
        .hasMessageContaining("9.9.9/aws_vpc.sql");
  }

  /** Every module a discovered release serves, platform modules aside (they are not per release). */
  private static List<Module> modules() {
    return ServiceLoader.load(Module.class).stream().map(ServiceLoader.Provider::get)
        .filter(m -> !m.platform() && RELEASES.known().contains(m.version())).toList();
  }

  /** Writes a release's files from its modules' DDL; refuses one that has them, or one no catalogue declares. */
  static void freeze(Path root, String release, List<Module> modules) throws IOException {
    if (!RELEASES.known().contains(release)) {
      throw new IllegalArgumentException("release " + release + " is not declared: add it to ReleaseCatalog and"
          + " give its modules that version first");
    }
    Path dir = root.resolve(release);
    if (Files.exists(dir)) {
      throw new IllegalStateException("release " + release + " is already frozen in " + dir + ": a shipped"
          + " release never changes; declare a new one");
    }
    Files.createDirectories(dir);
    for (Module m : modules) {
      if (m.version().equals(release)) {
        String sql = FrozenDdl.render(m.migrations());
        Files.writeString(dir.resolve(m.name().value() + ".sql"), sql, UTF_8);
        Files.writeString(dir.resolve(m.name().value() + ".sql.sha256"), FrozenDdl.checksumLine(sql, m.name()), UTF_8);
      }
    }
  }

  /** What is wrong with the frozen files under root, one line per problem, each saying how to fix it. */
  static List<String> problems(Path root, List<Module> modules) throws IOException {
    List<String> problems = new ArrayList<>();
    Set<String> expected = new TreeSet<>();
    for (Module m : modules) {
      String release = m.version();
      String file = release + "/" + m.name().value() + ".sql";
      expected.add(file);
      Path sql = root.resolve(file);
      if (!Files.exists(sql)) {
        problems.add(m.name() + "@" + release + " has no frozen DDL " + file + ": freeze the release with"
            + " -Dreleases.freeze=" + release + " (docs/modules.md, Cutting a release)");
        continue;
      }
      String frozen = Files.readString(sql, UTF_8);
      String generated = FrozenDdl.render(m.migrations());
      if (!frozen.equals(generated)) {
        problems.add(m.name() + "@" + release + " installs DDL that differs from its frozen " + file + " ("
            + (release.equals(RELEASES.latest()) ? "generated from today's code" : "an older release must serve"
            + " its file: FrozenDdl.of") + "); a shipped release never changes: declare a new release, move the"
            + " module to it with an upgradeFrom step, and freeze it (docs/modules.md, Cutting a release)."
            + " Frozen (-) against installed (+):\n" + diff(frozen, generated));
      }
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        String file = root.relativize(p).toString().replace('\\', '/');
        if (file.endsWith(".sql.sha256")) {
          continue;
        }
        if (!expected.contains(file)) {
          problems.add(file + " belongs to no module of a release the catalogue declares");
        }
        Path sum = p.resolveSibling(p.getFileName() + ".sha256");
        String content = Files.readString(p, UTF_8);
        String line = Files.exists(sum) ? Files.readString(sum, UTF_8) : "";
        if (!line.equals(FrozenDdl.checksumLine(content, ModuleName.of(p.getFileName().toString()
            .replaceFirst("\\.sql$", ""))))) {
          problems.add(file + " does not match its checksum file " + file + ".sha256 (sha256 "
              + FrozenDdl.sha256(content) + "): a frozen release was edited; restore it from git");
        }
      }
    }
    return problems;
  }

  /** The lines that differ, from the first difference to the last, marked - (frozen) and + (installed). */
  static String diff(String frozen, String installed) {
    List<String> a = frozen.lines().toList();
    List<String> b = installed.lines().toList();
    int start = 0;
    while (start < a.size() && start < b.size() && a.get(start).equals(b.get(start))) {
      start++;
    }
    int endA = a.size();
    int endB = b.size();
    while (endA > start && endB > start && a.get(endA - 1).equals(b.get(endB - 1))) {
      endA--;
      endB--;
    }
    return "@@ line " + (start + 1) + "\n"
        + a.subList(start, endA).stream().map(l -> "- " + l).collect(Collectors.joining("\n", "", "\n"))
        + b.subList(start, endB).stream().map(l -> "+ " + l).collect(Collectors.joining("\n"));
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<String> out = new ArrayList<>();
      for (Path p : files.sorted().toList()) {
        out.add(p.getFileName() + " " + FrozenDdl.sha256(Files.readString(p, UTF_8)));
      }
      return out;
    }
  }
}
