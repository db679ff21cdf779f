package dev.iasql.server.db;

import dev.iasql.server.cli.ExitCode;
import dev.iasql.server.cli.LocationOptions;
import dev.iasql.server.cli.Logging;
import dev.iasql.server.cli.Version;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code iasql db create NAME}: the URL is the last line printed, so {@code psql "$(./iasql db create x | tail -1)"}. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    headerHeading = "%n",
    header = "Create an IaSQL database with its own PostgreSQL login (SELECT * FROM iasql_connect(NAME)).",
    description = {
      "Prints the new login's user and password, then, as the last line, a connection URL that psql takes as is:",
      "  psql \"postgresql://USER:PASSWORD@127.0.0.1:5433/NAME\"",
      "The password is shown once: the engine stores only PostgreSQL's SCRAM verifier of it. ./iasql db url NAME"
          + " prints the URLs again later, without it.",
      "In a script, stop when the create fails: url=\"$(./iasql db create NAME --url-only)\" && psql \"$url\""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:created",
      "1:refused or failed (SQLSTATE on stderr: IQ301 invalid name, IQ302 name taken, ...)",
      "2:invalid command line",
      "3:no server is running (start one with ./iasql serve)"
    })
final class DbCreateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME",
      description = "Database name: 1 to 63 lower case letters, digits and underscores, starting with a letter.")
  private String name;

  @Option(names = "--release", paramLabel = "R",
      description = "Create it at this supported release instead of the latest (./iasql releases lists them);"
          + " SELECT iasql_upgrade() moves it to the latest later.")
  private String release;

  @Option(names = "--url-only",
      description = "Print only the psql URL (password included), so that a failed create prints nothing:"
          + " url=\"$(./iasql db create NAME --url-only)\" && psql \"$url\"")
  private boolean urlOnly;

  @Mixin private LocationOptions locationOptions;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    Logging.quietUnlessConfigured();
    MetadataClient.Created db;
    String jdbcUrl;
    try (MetadataClient client = MetadataClient.open(locationOptions.resolve())) {
      db = client.create(name, release);
      jdbcUrl = client.jdbcUrl(db.name(), db.pgUser(), db.pgPassword());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!urlOnly) {
      out.println("created IaSQL database " + db.name());
      out.println("pg_user:     " + db.pgUser());
      out.println("pg_password: " + db.pgPassword());
      out.println("jdbc_url:    " + jdbcUrl);
      out.println("The password is shown this once and stored nowhere: keep it, or a URL, now. ./iasql db url "
          + db.name() + " prints the URLs again (without it), e.g. after a restart on another port.");
    }
    out.println(db.connectionUrl());
    out.flush();
    return ExitCode.OK;
  }
}
