package dev.iasql.server.db;

import dev.iasql.server.cli.Version;
import picocli.CommandLine.Command;

/** {@code iasql db}: the IaSQL databases of a running server. Has no action of its own. */
@Command(
    name = "db",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    headerHeading = "%n",
    header = "Create, drop and list the IaSQL databases of a running server (./iasql serve), and print their URLs.",
    description = {
      "Each command logs in as the PostgreSQL admin to the server's metadata database and calls the engine there"
          + " (iasql_connect, iasql_disconnect, iasql_db_list). Give the same --data-dir or --postgres-url as the"
          + " server."
    },
    subcommands = {DbCreateCommand.class, DbDropCommand.class, DbListCommand.class, DbUrlCommand.class},
    commandListHeading = "%nCommands:%n",
    exitCodeListHeading = "%nExit codes (of each command):%n",
    exitCodeList = {
      "0:done",
      "1:the engine refused or failed (ERROR with its SQLSTATE, DETAIL and HINT on stderr)",
      "2:invalid command line",
      "3:no server is running (start one with ./iasql serve)"
    })
public final class DbCommand {}
