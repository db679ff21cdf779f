package dev.iasql.engine;

import static dev.iasql.engine.EngineErrors.argument;
import static dev.iasql.engine.EngineErrors.invalid;

import dev.iasql.engine.module.ModuleCatalog;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.EngineExtension;
import dev.iasql.engine.spi.Module;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Settings for an engine; {@link #build()} copies them, checks them and starts the engine. */
public final class EngineBuilder {
  Cluster cluster;
  List<? extends Module> modules;
  ReleaseCatalog releases = ReleaseCatalog.standard();
  final List<EngineExtension> extensions = new ArrayList<>();
  boolean discoverExtensions = true;
  int poolSize = 10;
  Duration reconcileEvery = Duration.ofSeconds(5);
  int tenantConnectionLimit = Engine.DEFAULT_TENANT_CONNECTION_LIMIT;
  Duration lockTimeout = LockWaits.DEFAULT_TIMEOUT;
  MeterRegistry meters = new CompositeMeterRegistry();
  OperationListener operationListener = OperationListener.NONE;

  EngineBuilder() {}

  /**
   * Where to record meters: {@code iasql.calls} (a timer by function and outcome), {@code iasql.errors} (by
   * function and SQLSTATE), {@code iasql.aws.requests} (by service, operation and outcome) and {@code
   * iasql.bridge.waiting} (SQL calls waiting for a worker). Default: none kept.
   */
  public EngineBuilder meterRegistry(MeterRegistry registry) {
    this.meters = argument(registry, "registry");
    return this;
  }

  /** Hears every operation's start, progress and end (see {@link OperationListener}). */
  public EngineBuilder operationListener(OperationListener listener) {
    this.operationListener = argument(listener, "listener");
    return this;
  }

  public EngineBuilder cluster(Cluster cluster) {
    this.cluster = argument(cluster, "cluster");
    return this;
  }

  /**
   * The PostgreSQL to run on, in one call: {@code .postgres(PostgresCluster.embedded(options))} or {@code
   * .postgres(PostgresCluster.external(url))} (engine-postgres). The caller stops the cluster after the engine.
   */
  public EngineBuilder postgres(PostgresSource postgres) {
    return cluster(argument(postgres, "postgres").engineCluster());
  }

  /** The modules to offer; by default every module {@link ServiceLoader} finds. */
  public EngineBuilder modules(List<? extends Module> modules) {
    this.modules = List.copyOf(modules);
    new ModuleCatalog(this.modules.stream().filter(m -> m.version().equals(releases.latest()) || m.platform())
        .toList()); // checks names and dependencies now, where the caller sees it
    return this;
  }

  public EngineBuilder releases(ReleaseCatalog releases) {
    this.releases = argument(releases, "releases");
    return this;
  }

  /** An extension of this engine; it replaces the one discovery would find of the same class. */
  public EngineBuilder extension(EngineExtension extension) {
    extensions.add(argument(extension, "extension"));
    return this;
  }

  /** Whether to add the extensions {@link ServiceLoader} finds (the SQL function bridge among them); default yes. */
  public EngineBuilder discoverExtensions(boolean discover) {
    this.discoverExtensions = discover;
    return this;
  }

  /** Admin connections per database (default 10). */
  public EngineBuilder poolSize(int poolSize) {
    if (poolSize < 2) {
      throw invalid("poolSize must be at least 2, not " + poolSize);
    }
    this.poolSize = poolSize;
    return this;
  }

  /**
   * How often to compare the served databases with the metadata database (default 5 s): how soon this engine serves
   * a database another engine created, and lets go of one another engine dropped.
   */
  public EngineBuilder reconcileEvery(Duration interval) {
    if (argument(interval, "interval").isNegative() || interval.isZero()) {
      throw invalid("reconcileEvery must be positive, not " + interval);
    }
    this.reconcileEvery = interval;
    return this;
  }

  /**
   * How many sessions each tenant login may hold at once (default {@value Engine#DEFAULT_TENANT_CONNECTION_LIMIT}), so
   * that no tenant can take the connection slots every other tenant needs. Applied to the databases this engine
   * creates, and to older ones it moves to their owner role; change an existing one with {@code ALTER ROLE}.
   */
  public EngineBuilder tenantConnectionLimit(int limit) {
    if (limit < 1) {
      throw invalid("tenantConnectionLimit must be at least 1, not " + limit);
    }
    this.tenantConnectionLimit = limit;
    return this;
  }

  /**
   * How long an operation waits for a lock another session holds (default 10 s), such as a tenant's open
   * transaction that locked a module table: then the call fails with IQ404 naming the lock, instead of waiting.
   */
  public EngineBuilder lockTimeout(Duration timeout) {
    if (argument(timeout, "timeout").isNegative() || timeout.isZero()) {
      throw invalid("lockTimeout must be positive, not " + timeout);
    }
    this.lockTimeout = timeout;
    return this;
  }

  public Engine build() {
    if (cluster == null) {
      throw invalid("Engine.configure().postgres(...) (or .cluster(...)) is required");
    }
    ClassLoader loader = Engine.class.getClassLoader();
    if (modules == null) {
      modules = Discovery.modules(loader, releases);
    }
    if (discoverExtensions) {
      Discovery.addExtensions(extensions, loader);
    }
    Engine engine = new Engine(this);
    try {
      engine.start(this);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
    return engine;
  }
}
