package dev.iasql.server.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code --data-dir} and {@code --postgres-url}, shared by {@code serve} and the {@code db} commands, so that both sides
 * find the same server. An explicit option beats an environment variable; both options at once are refused.
 */
public final class LocationOptions {
  /** Relative to the working directory. */
  public static final String DEFAULT_DATA_DIR = ".iasql-data";

  public static final String DATA_DIR_ENV = "IASQL_DATA_DIR";
  public static final String POSTGRES_URL_ENV = "IASQL_POSTGRES_URL";

  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "${env:" + DATA_DIR_ENV + ":-" + DEFAULT_DATA_DIR + "}",
      // One string per paragraph: the help renderer wraps by width, so hand-made line breaks would land mid-phrase.
      description = {
        "Data directory of the embedded PostgreSQL.",
        "Default: ${DEFAULT-VALUE} (or $" + DATA_DIR_ENV + ").",
        "It holds admin-password and, while a server runs, server.properties."
      })
  private Path dataDirectory;

  @Option(
      names = "--postgres-url",
      paramLabel = "URL",
      defaultValue = "${env:" + POSTGRES_URL_ENV + "}",
      description = "Use an external PostgreSQL instead of the embedded one, as a role that can create databases and"
          + " roles: postgresql://USER:PASSWORD@HOST:PORT/ (better: set $" + POSTGRES_URL_ENV + ", since a command"
          + " line is visible to every user in the process list).")
  private String postgresUrl;

  /** The location the options name; call it while the command runs (it reads the parse result). */
  public Location resolve() {
    ParseResult parsed = mixee.commandLine().getParseResult();
    boolean explicitDataDirectory = parsed != null && parsed.hasMatchedOption("--data-dir");
    boolean explicitUrl = parsed != null && parsed.hasMatchedOption("--postgres-url");
    if (explicitDataDirectory && explicitUrl) {
      throw new ParameterException(mixee.commandLine(),
          "--data-dir and --postgres-url exclude each other: the first names an embedded PostgreSQL, the second an"
              + " external one");
    }
    if (postgresUrl != null && !postgresUrl.isBlank() && !explicitDataDirectory) {
      return new Location.External(postgresUrl.strip());
    }
    return new Location.Embedded(dataDirectory, dataDirectory.equals(Path.of(DEFAULT_DATA_DIR)));
  }
}
