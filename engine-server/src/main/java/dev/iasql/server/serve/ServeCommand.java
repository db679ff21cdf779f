package dev.iasql.server.serve;

import dev.iasql.aws.AwsSettings;
import dev.iasql.engine.AdminPowers;
import dev.iasql.engine.Engine;
import dev.iasql.postgres.EmbeddedOptions;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.server.cli.ExitCode;
import dev.iasql.server.cli.Location;
import dev.iasql.server.cli.LocationOptions;
import dev.iasql.server.cli.Shell;
import dev.iasql.server.cli.Version;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code iasql serve}: runs the engine until SIGTERM or SIGINT. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    headerHeading = "%n",
    header = "Run the IaSQL engine on an embedded PostgreSQL (or an external one) until stopped.",
    description = {
      "Starts PostgreSQL (embedded: 127.0.0.1 only, password logins, fsync on, data kept in --data-dir), builds the"
          + " engine on it and prints a line starting with 'ready' once it accepts calls. Then ./iasql db create/list/drop"
          + " (with the same --data-dir or --postgres-url) manage its databases.",
      "Stops cleanly on SIGTERM or Ctrl-C (SIGINT) with exit code 0: the engine first, then PostgreSQL.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped cleanly (SIGTERM, SIGINT)",
      "1:could not start (message on stderr), or did not stop cleanly",
      "2:invalid command line"
    })
public final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  /** Next to a system PostgreSQL's 5432 rather than on it. */
  public static final int DEFAULT_PORT = 5433;

  @Mixin private LocationOptions locationOptions;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "" + DEFAULT_PORT,
      // One string per paragraph: the help renderer wraps by width, so hand-made line breaks would land mid-phrase.
      description = {
        "TCP port of the embedded PostgreSQL, on 127.0.0.1.",
        "Default: ${DEFAULT-VALUE}, beside a system PostgreSQL's 5432; 0 picks a free port at each start (then"
            + " ./iasql db url NAME prints a database's current URL). An external PostgreSQL's port is part of"
            + " --postgres-url."
      })
  private int port;

  @Option(
      names = "--aws-endpoint",
      paramLabel = "URL",
      description = "Send every AWS request to this endpoint (moto, LocalStack) instead of AWS. Same as the SDK's"
          + " AWS_ENDPOINT_URL environment variable, which is used when this option is absent.")
  private String awsEndpoint;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "" + EmbeddedOptions.DEFAULT_MAX_CONNECTIONS,
      description = "The embedded PostgreSQL's max_connections (default ${DEFAULT-VALUE}): the engine's sessions and"
          + " every tenant's count against it. An external PostgreSQL's is its own setting.")
  private int maxConnections;

  @Option(
      names = "--tenant-connections",
      paramLabel = "N",
      defaultValue = "" + Engine.DEFAULT_TENANT_CONNECTION_LIMIT,
      description = "Sessions each database's login may hold at once (default ${DEFAULT-VALUE}), so no tenant can"
          + " take the slots others need. For databases created from now on.")
  private int tenantConnections;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    Location location = locationOptions.resolve();
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be 0 (any free port) or 1-65535, not " + port);
    }
    if (location instanceof Location.External && spec.commandLine().getParseResult().hasMatchedOption("--port")) {
      throw new ParameterException(spec.commandLine(),
          "--port is for the embedded PostgreSQL; an external cluster's port is part of --postgres-url");
    }
    if (location instanceof Location.External
        && spec.commandLine().getParseResult().hasMatchedOption("--max-connections")) {
      throw new ParameterException(spec.commandLine(),
          "--max-connections is for the embedded PostgreSQL; an external cluster's is its own max_connections");
    }
    if (maxConnections < EmbeddedOptions.MIN_MAX_CONNECTIONS || maxConnections > EmbeddedOptions.MAX_MAX_CONNECTIONS) {
      throw new ParameterException(spec.commandLine(), "--max-connections must be "
          + EmbeddedOptions.MIN_MAX_CONNECTIONS + "-" + EmbeddedOptions.MAX_MAX_CONNECTIONS + ", not " + maxConnections);
    }
    if (tenantConnections < 1) {
      throw new ParameterException(spec.commandLine(), "--tenant-connections must be at least 1, not "
          + tenantConnections);
    }
    AwsSettings aws = awsSettings();
    StopSignal stopSignal = StopSignal.install();
    RunningServer server = RunningServer.start(location, port, maxConnections, tenantConnections, aws);
    Thread hook = new Thread(server::stop, "iasql-shutdown");
    Runtime.getRuntime().addShutdownHook(hook); // stops PostgreSQL on other exits too (SIGHUP, System.exit)
    if (!stopSignal.requested()) { // a signal during start-up: stop without announcing a server that is going away
      printReady(server, spec.commandLine().getOut());
      LOG.info("ready");
    }
    stopSignal.await();
    boolean clean = server.stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is already exiting; the hook finds the server stopped
    }
    return clean ? ExitCode.OK : ExitCode.FAILED;
  }

  /** The engine's AWS settings: {@code --aws-endpoint} for this engine only, else {@code AWS_ENDPOINT_URL}. */
  private AwsSettings awsSettings() {
    if (awsEndpoint == null) {
      if (System.getenv("AWS_ENDPOINT_URL") != null) {
        LOG.info("AWS requests go to {} (AWS_ENDPOINT_URL)", System.getenv("AWS_ENDPOINT_URL"));
      }
      return AwsSettings.defaults();
    }
    java.net.URI uri;
    try {
      uri = new java.net.URI(awsEndpoint);
    } catch (java.net.URISyntaxException e) {
      throw new ParameterException(spec.commandLine(), "--aws-endpoint is not a URL: " + awsEndpoint);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new ParameterException(spec.commandLine(), "--aws-endpoint must be an http(s) URL with a host, not "
          + awsEndpoint);
    }
    LOG.info("AWS requests go to {}", awsEndpoint);
    return AwsSettings.builder().endpoint(uri).build();
  }

  /** The first line starts with {@code ready}; the rest says how to connect. The admin password is never printed. */
  static void printReady(RunningServer server, PrintWriter out) {
    PostgresCluster c = server.cluster();
    Location location = server.location();
    String options = location.optionsForMessages();
    if (location instanceof Location.Embedded embedded) {
      Path dir = embedded.dataDirectory();
      String passwordFile = dir.resolve("admin-password").toString();
      out.printf("ready: IaSQL engine %s on embedded PostgreSQL %s:%d, data directory %s (pid %d)%n",
          Version.program(), c.host(), c.port(), dir, server.pid());
      out.printf("  admin:   PGPASSWORD=\"$(cat %s)\" psql -h %s -p %d -U %s %s%n", Shell.quote(passwordFile),
          c.host(), c.port(), Shell.quote(c.adminUser()), Engine.METADATA_DATABASE);
      out.printf("           (the admin password is in %s, readable by you only)%n", passwordFile);
    } else {
      out.printf("ready: IaSQL engine %s on external PostgreSQL %s@%s:%d (pid %d)%n", Version.program(),
          c.adminUser(), c.host(), c.port(), server.pid());
      out.printf("  admin:   your --postgres-url, on database %s%n", Engine.METADATA_DATABASE);
      if (server.adminPowers() instanceof AdminPowers.Managed managed) {
        out.printf("  managed: %s is no superuser; it runs on CREATEDB, CREATEROLE and template1 as prepared%s%n",
            c.adminUser(), managed.unapplied().isEmpty() ? ", every protection applied"
                : "; protections NOT applied (the operator's to apply, see the README's Managed PostgreSQL):");
        for (String gap : managed.unapplied()) {
          out.printf("  not applied: %s%n", gap);
        }
      }
    }
    out.printf("  create:  ./iasql db create NAME%s   (prints the new database's psql URL)%n", options);
    out.printf("  list:    ./iasql db list%s%n", options);
    out.printf("  stop:    Ctrl-C, or kill %d%n", server.pid());
    out.flush();
  }
}
