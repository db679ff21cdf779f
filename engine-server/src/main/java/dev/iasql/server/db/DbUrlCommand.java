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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code iasql db url NAME}: a database's connection URLs as the running server has them now. A server started with
 * {@code --port 0} gets a new port at each start, so the URL {@code db create} printed may be stale.
 */
@Command(
    name = "url",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    headerHeading = "%n",
    header = "Print an IaSQL database's current connection URLs, for psql and for JDBC.",
    description = {
      "The URLs name the server's current host and port and the database's login, but no password: it is shown"
          + " once, by ./iasql db create, and stored nowhere (psql asks for it). The last line is the psql URL:",
      "  psql \"$(./iasql db url NAME | tail -n 1)\""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:printed",
      "1:refused or failed (SQLSTATE on stderr: IQ303 no such database, ...)",
      "2:invalid command line",
      "3:no server is running (start one with ./iasql serve)"
    })
final class DbUrlCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "The database.")
  private String name;

  @Mixin private LocationOptions locationOptions;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    Logging.quietUnlessConfigured();
    MetadataClient.Urls urls;
    try (MetadataClient client = MetadataClient.open(locationOptions.resolve())) {
      urls = client.urls(name);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("pg_user:  " + urls.pgUser());
    out.println("jdbc_url: " + urls.jdbc());
    out.println("(no password in these URLs: the one ./iasql db create showed is the only copy)");
    out.println(urls.psql());
    out.flush();
    return ExitCode.OK;
  }
}
