package dev.iasql.server;

import dev.iasql.server.cli.CommandFailure;
import dev.iasql.server.cli.ExitCode;
import dev.iasql.server.cli.Version;
import dev.iasql.server.db.DbCommand;
import dev.iasql.server.serve.ServeCommand;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine;

/** The root of the command tree; has no action of its own. */
@Command(
    name = "iasql",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    headerHeading = "%n",
    header = "IaSQL: an AWS account as PostgreSQL tables, and back.",
    description = {
      "  ./iasql serve            start the engine (embedded PostgreSQL, port 5433)",
      "  ./iasql db create NAME   create a database; its psql URL is the last line",
      "  ./iasql db list          list the databases",
      "  ./iasql db url NAME      a database's current connection URLs (psql and JDBC)",
      "  ./iasql db drop NAME     drop a database",
      "  ./iasql releases         the releases a database can be at, oldest first",
      "Every command takes --help. Logs go to stderr (IASQL_LOG_LEVEL=DEBUG for more)."
    },
    subcommands = {ServeCommand.class, DbCommand.class, ReleasesCommand.class, HelpCommand.class},
    commandListHeading = "%nCommands:%n")
public final class IasqlCommand {
  private static final Logger LOG = LoggerFactory.getLogger(IasqlCommand.class);

  /** The command line with the program's error handling, writing to {@code System.out}/{@code System.err}. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new IasqlCommand());
    commandLine.setExecutionExceptionHandler(IasqlCommand::handle);
    return commandLine;
  }

  private static int handle(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
    PrintWriter err = commandLine.getErr();
    if (e instanceof CommandFailure failure) {
      failure.lines().forEach(err::println);
      err.flush();
      LOG.debug("{} failed", commandLine.getCommandName(), e);
      return failure.exitCode();
    }
    err.println("ERROR:  internal error in iasql " + commandLine.getCommandName() + ": " + e);
    e.printStackTrace(err);
    err.flush();
    return ExitCode.FAILED;
  }
}
