package dev.iasql.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.server.cli.ExitCode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HelpAndVersionTest {

  record Case(String reason, List<String> command, List<String> mentions) {
    @Override
    public String toString() {
      return reason;
    }
  }

  static Stream<Case> commands() {
    List<String> location = List.of("--data-dir", "--postgres-url", "IASQL_POSTGRES_URL", "--help", "--version");
    List<String> serve = new ArrayList<>(location);
    serve.addAll(List.of("--port", "5433", "ready", "SIGTERM"));
    return Stream.of(
        new Case("the root lists the commands", List.of(), List.of("serve", "db", "--help", "--version")),
        new Case("serve documents its options, the default port and how it stops", List.of("serve"), serve),
        new Case("db lists its commands", List.of("db"), List.of("create", "drop", "list", "--help")),
        new Case("db create documents the name, the URL and the options", List.of("db", "create"),
            concat(location, "NAME", "psql", "shown once")),
        new Case("db drop documents the name and the options", List.of("db", "drop"), concat(location, "NAME")),
        new Case("db url documents the name, both URL forms and the missing password", List.of("db", "url"),
            concat(location, "NAME", "psql", "JDBC", "password")),
        new Case("db list documents the options", List.of("db", "list"), location));
  }

  private static List<String> concat(List<String> a, String... b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(List.of(b));
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void helpMentionsEveryOption(Case c) {
    List<String> args = new ArrayList<>(c.command());
    args.add("--help");
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(c.reason() + "\n" + r).isZero();
    assertThat(r.out()).as(c.reason()).contains(c.mentions());
  }

  /**
   * Option descriptions are wrapped by width only: a line ends early only when the next word would not fit (a hand
   * broken description, wrapped again by the help renderer, breaks mid-phrase).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void helpIsWrappedByWidthNotMidPhrase(Case c) {
    List<String> args = new ArrayList<>(c.command());
    args.add("--help");
    List<String> lines = Cli.run(args.toArray(String[]::new)).out().lines().toList();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      String previous = lines.get(i - 1);
      boolean continuation = line.startsWith(" ".repeat(20)) && !line.isBlank();
      boolean optionAlone = previous.strip().startsWith("-") && !previous.strip().contains(" ");
      boolean sentenceEnd = previous.endsWith(".") || previous.endsWith(":");
      if (continuation && !previous.isBlank() && !optionAlone && !sentenceEnd) {
        String nextWord = line.strip().split(" ")[0];
        assertThat(previous.length() + 1 + nextWord.length())
            .as("%s: \"%s\" could have ended with \"%s\"", c.reason(), previous, nextWord)
            .isGreaterThanOrEqualTo(80); // the renderer keeps the 80th column free
      }
    }
  }

  @Test
  void versionNamesTheBuiltVersionAndTheSqlRelease() {
    Cli.Result r = Cli.run("--version");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).containsPattern("iasql \\d+\\.\\d+\\.\\d+").contains("SQL release " + ReleaseCatalog.standard().latest())
        .doesNotContain("${");
    assertThat(Cli.run("db", "create", "--version").out()).isEqualTo(r.out());
  }

  @Test
  void releasesListsTheSupportedReleasesOldestFirst() {
    Cli.Result r = Cli.run("releases");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.outLines()).containsExactlyElementsOf(ReleaseCatalog.standard().supported());
  }

  /** Scripts pass the location options to every command; the one that needs no server ignores them. */
  @Test
  void releasesAcceptsAndIgnoresTheLocationOptions() {
    for (String[] args : List.of(new String[] {"releases", "--data-dir", "/nonexistent/iasql-data"},
        new String[] {"releases", "--postgres-url", "postgresql://nobody@127.0.0.1:1/"},
        new String[] {"releases", "--data-dir", "d", "--postgres-url", "postgresql://nobody@127.0.0.1:1/"})) {
      Cli.Result r = Cli.run(args);
      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.outLines()).containsExactlyElementsOf(ReleaseCatalog.standard().supported());
    }
  }

  @Test
  void aCommandIsRequired() {
    Cli.Result r = Cli.run();
    assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("Missing required subcommand").contains("serve");
  }

  @Test
  void maxConnectionsOutOfRangeOrForAnExternalClusterIsAUsageError() {
    Cli.Result low = Cli.run("serve", "--max-connections", "5");
    assertThat(low.exitCode()).as(low.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(low.err()).contains("--max-connections must be 20-10000, not 5");
    Cli.Result external = Cli.run("serve", "--postgres-url", "postgresql://u@127.0.0.1:1/postgres",
        "--max-connections", "50");
    assertThat(external.exitCode()).as(external.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(external.err()).contains("--max-connections is for the embedded PostgreSQL");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    Cli.Result r = Cli.run("db", "list", "--frobnicate");
    assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("--frobnicate");
  }
}
