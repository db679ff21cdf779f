package dev.iasql.server;

import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.server.cli.ExitCode;
import dev.iasql.server.cli.LocationOptions;
import dev.iasql.server.cli.Version;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code iasql releases}: the releases a database can be created at, oldest first, one per line. */
@Command(
    name = "releases",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    headerHeading = "%n",
    header = "List the supported releases, oldest first, one per line (the last is the latest).",
    description = {
      "A database is created at the latest release unless ./iasql db create NAME --release R names another;",
      "SELECT iasql_upgrade() moves it to the latest, in place.",
      "Needs no server: --data-dir and --postgres-url are accepted and ignored, so scripts can pass them to every",
      "command."
    })
final class ReleasesCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  /** Accepted and never resolved: the releases are this build's, wherever a server would be. */
  @Mixin @SuppressWarnings("unused") private LocationOptions locationOptions;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ReleaseCatalog.standard().supported().forEach(out::println);
    out.flush();
    return ExitCode.OK;
  }
}
