package dev.iasql.server.db;

import dev.iasql.server.cli.ExitCode;
import dev.iasql.server.cli.LocationOptions;
import dev.iasql.server.cli.Logging;
import dev.iasql.server.cli.Version;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code iasql db list}. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    headerHeading = "%n",
    header = "List the IaSQL databases (SELECT * FROM iasql_db_list()).",
    description = "One row per database: name, PostgreSQL login, release, upgrade state and creation time (UTC).",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:listed",
      "1:failed (SQLSTATE on stderr)",
      "2:invalid command line",
      "3:no server is running (start one with ./iasql serve)"
    })
final class DbListCommand implements Callable<Integer> {
  private static final List<String> HEADER = List.of("name", "pg_user", "release", "upgrade_state", "created_at");

  @Mixin private LocationOptions locationOptions;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    Logging.quietUnlessConfigured();
    List<MetadataClient.Listed> databases;
    try (MetadataClient client = MetadataClient.open(locationOptions.resolve())) {
      databases = client.list();
    }
    List<List<String>> rows = databases.stream()
        .map(d -> List.of(d.name(), d.pgUser(), d.release(), String.valueOf(d.upgradeState()),
            d.createdAt() == null ? "" : DateTimeFormatter.ISO_INSTANT.format(
                d.createdAt().toInstant().truncatedTo(ChronoUnit.SECONDS))))
        .toList();
    TextTable.print(spec.commandLine().getOut(), HEADER, rows);
    spec.commandLine().getOut().flush();
    return ExitCode.OK;
  }
}
