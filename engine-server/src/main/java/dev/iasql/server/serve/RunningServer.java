package dev.iasql.server.serve;

import static java.util.Objects.requireNonNull;

import dev.iasql.aws.AwsEngineExtension;
import dev.iasql.aws.AwsSettings;
import dev.iasql.engine.AdminPowers;
import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.postgres.EmbeddedOptions;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.server.cli.CommandFailure;
import dev.iasql.server.cli.ExitCode;
import dev.iasql.server.cli.Location;
import dev.iasql.server.cli.Version;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started server: the cluster, the engine on it and, for an embedded cluster, its {@code server.properties}. {@link
 * #stop()} undoes them in reverse order; it is idempotent and safe to call from a shutdown hook.
 */
final class RunningServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningServer.class);

  private final Location location;
  private final PostgresCluster cluster;
  private final Engine engine;
  private final long pid = ProcessHandle.current().pid();
  private boolean stopped;
  private boolean cleanStop = true;

  private RunningServer(Location location, PostgresCluster cluster, Engine engine) {
    this.location = location;
    this.cluster = cluster;
    this.engine = engine;
  }

  /**
   * Starts PostgreSQL (embedded on {@code port}, 0 for any free one; an external cluster ignores it) and the engine.
   *
   * @throws CommandFailure with a message for the user when either cannot start; nothing is left running then
   */
  static RunningServer start(Location location, int port) {
    return start(location, port, EmbeddedOptions.DEFAULT_MAX_CONNECTIONS, Engine.DEFAULT_TENANT_CONNECTION_LIMIT,
        AwsSettings.defaults());
  }

  /**
   * As {@link #start(Location, int)}, with the embedded PostgreSQL's {@code max_connections} and the sessions each
   * new database's login may hold at once.
   */
  static RunningServer start(Location location, int port, int maxConnections, int tenantConnections,
      AwsSettings aws) {
    requireNonNull(location, "location is null");
    PostgresCluster cluster = location instanceof Location.Embedded embedded
        ? startEmbedded(embedded, port, maxConnections)
        : external((Location.External) location);
    Engine engine;
    try {
      engine = Engine.configure().postgres(cluster).tenantConnectionLimit(tenantConnections)
          .extension(AwsEngineExtension.with(aws)).build();
    } catch (RuntimeException e) {
      closeQuietly(cluster, e);
      if (e instanceof EngineException ee) { // its code, detail and hint, as psql prints a server error
        throw new CommandFailure(ExitCode.FAILED, ee.code().sqlState(), "the engine could not start on " + cluster
            + ": " + describe(e), ee.detail().orElse(null), ee.hint().orElse(null), e);
      }
      throw CommandFailure.of(ExitCode.FAILED, "the engine could not start on " + cluster + ": " + describe(e),
          null, e);
    }
    RunningServer server = new RunningServer(location, cluster, engine);
    if (location instanceof Location.Embedded embedded) {
      ServerFile file = new ServerFile(server.pid, cluster.host(), cluster.port(), cluster.adminUser(),
          Version.program(), Instant.now());
      try {
        file.write(embedded.dataDirectory());
      } catch (IOException e) {
        server.stop();
        throw CommandFailure.of(ExitCode.FAILED, "cannot write " + ServerFile.path(embedded.dataDirectory()) + ": "
            + e.getMessage(), null, e);
      }
    }
    return server;
  }

  private static PostgresCluster startEmbedded(Location.Embedded location, int port, int maxConnections) {
    Path dataDirectory = location.dataDirectory();
    refuseIfServed(location);
    OrphanedPostgres.stopIfAny(dataDirectory);
    if (port != 0) {
      refuseIfPortTaken(port);
    }
    try {
      return PostgresCluster.embedded(
          EmbeddedOptions.persistent(dataDirectory, port).withMaxConnections(maxConnections));
    } catch (RuntimeException e) {
      refuseIfServed(location); // another server may have started since the first check
      throw CommandFailure.of(ExitCode.FAILED, "could not start the embedded PostgreSQL: " + describe(e), null, e);
    }
  }

  private static PostgresCluster external(Location.External location) {
    try {
      return PostgresCluster.external(location.url());
    } catch (IllegalArgumentException e) {
      throw CommandFailure.of(ExitCode.USAGE, "--postgres-url: " + e.getMessage(), null, e);
    }
  }

  /** A second server on one data directory is refused before it touches anything. */
  private static void refuseIfServed(Location.Embedded location) {
    Optional<ServerFile> running;
    try {
      running = ServerFile.read(location.dataDirectory());
    } catch (IOException e) {
      LOG.warn("ignoring an unreadable {}: {}", ServerFile.path(location.dataDirectory()), e.getMessage());
      return;
    }
    if (running.isPresent() && running.get().processAlive()) {
      ServerFile f = running.get();
      throw CommandFailure.of(ExitCode.FAILED,
          "an IaSQL server is already running on data directory " + location.dataDirectory() + " (pid " + f.pid()
              + ", PostgreSQL on " + f.host() + ":" + f.port() + ")",
          "use it (./iasql db list" + location.optionsForMessages() + "), stop it (kill " + f.pid()
              + "), or serve another data directory with --data-dir");
    }
    if (running.isPresent()) {
      LOG.info("{} names pid {}, which is gone (the server was killed); replacing it",
          ServerFile.path(location.dataDirectory()), running.get().pid());
    }
  }

  /** Fails fast with a clear message instead of waiting for PostgreSQL to give up on a port in use. */
  private static void refuseIfPortTaken(int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
    } catch (IOException e) {
      throw CommandFailure.of(ExitCode.FAILED,
          "port " + port + " on 127.0.0.1 is in use (another PostgreSQL, or another program, listens there)",
          "choose another with --port N, or --port 0 for any free port", e);
    }
  }

  PostgresCluster cluster() {
    return cluster;
  }

  /** What the engine's admin may do on the cluster (a managed service's role: the protections it could not apply). */
  AdminPowers adminPowers() {
    return engine.adminPowers();
  }

  Location location() {
    return location;
  }

  long pid() {
    return pid;
  }

  /**
   * Stops the engine (in-flight calls end with an error), then PostgreSQL, then deletes {@code server.properties}.
   * Returns whether every step succeeded; later calls return the first result.
   */
  synchronized boolean stop() {
    if (stopped) {
      return cleanStop;
    }
    stopped = true;
    List<String> failures = new ArrayList<>();
    try {
      engine.close();
    } catch (RuntimeException e) {
      LOG.error("the engine did not stop cleanly", e);
      failures.add("engine");
    }
    try {
      cluster.close();
    } catch (RuntimeException e) {
      LOG.error("PostgreSQL did not stop cleanly", e);
      failures.add("postgres");
    }
    if (location instanceof Location.Embedded embedded) {
      try {
        ServerFile.deleteIfWrittenBy(embedded.dataDirectory(), pid);
      } catch (IOException e) {
        LOG.error("cannot delete {}", ServerFile.path(embedded.dataDirectory()), e);
        failures.add("server.properties");
      }
    }
    cleanStop = failures.isEmpty();
    if (cleanStop) {
      LOG.info("stopped");
    } else {
      LOG.warn("stopped, with errors in: {}", String.join(", ", failures));
    }
    return cleanStop;
  }

  @Override
  public void close() {
    stop();
  }

  private static void closeQuietly(PostgresCluster cluster, Exception failure) {
    try {
      cluster.close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** The message and its causes' messages, without repeats: the root cause often says what to do. */
  static String describe(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
      if (out.indexOf(m) < 0) {
        out.append(out.length() == 0 ? "" : ": ").append(m);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return out.toString();
  }
}
