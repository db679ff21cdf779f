package dev.iasql.server.db;

import dev.iasql.server.cli.ExitCode;
import dev.iasql.server.cli.LocationOptions;
import dev.iasql.server.cli.Logging;
import dev.iasql.server.cli.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code iasql db drop NAME}. */
@Command(
    name = "drop",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    headerHeading = "%n",
    header = "Drop an IaSQL database and its login (SELECT * FROM iasql_disconnect(NAME)).",
    description = "Ends the database's sessions, drops it and its PostgreSQL login. This cannot be undone.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:dropped",
      "1:refused or failed (SQLSTATE on stderr: IQ303 no such database, ...)",
      "2:invalid command line",
      "3:no server is running (start one with ./iasql serve)"
    })
final class DbDropCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "The database to drop.")
  private String name;

  @Mixin private LocationOptions locationOptions;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    Logging.quietUnlessConfigured();
    String dropped;
    try (MetadataClient client = MetadataClient.open(locationOptions.resolve())) {
      dropped = client.drop(name);
    }
    spec.commandLine().getOut().println("dropped IaSQL database " + dropped);
    spec.commandLine().getOut().flush();
    return ExitCode.OK;
  }
}
