package dev.iasql.engine;

import static dev.iasql.engine.EngineErrors.argument;
import static dev.iasql.engine.EngineErrors.coded;
import static dev.iasql.engine.EngineErrors.ensureOpen;
import static dev.iasql.engine.EngineErrors.invalid;

import dev.iasql.engine.guard.Guard;
import dev.iasql.engine.guard.Permit;
import dev.iasql.engine.metadata.MetadataStore;
import dev.iasql.engine.module.ModuleCatalog;
import dev.iasql.engine.module.ReleaseModules;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.EngineExtension;
import dev.iasql.engine.spi.Extensions;
import dev.iasql.engine.spi.Module;
import dev.iasql.engine.sql.Pools;
import dev.iasql.engine.upgrade.Upgrader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine as a library: one instance serves every IaSQL database of a PostgreSQL cluster.
 *
 * <pre>{@code
 * try (PostgresCluster postgres = PostgresCluster.embedded(Path.of("iasql-data")); // engine-postgres
 *     Engine engine = Engine.configure().postgres(postgres).build()) {           // creates iasql_metadata
 *   CreatedDatabase db = engine.createDatabase("prod");                         // db.jdbcUrl(): the tenant's login
 *   engine.install(engine.permit(DatabaseName.of(db.name())), List.of("aws_vpc"), Call.create());
 * }
 * }</pre>
 *
 * <p>The README's "Embedding the engine" is a complete host program; {@code DocumentationSnippetsTest} compiles both.
 *
 * <p>Operations on what is inside a user database are guarded: they take a {@link Permit} as their first parameter,
 * which {@link #permit} issues only while the database is not being upgraded and is at a supported release.
 */
public final class Engine implements AutoCloseable {
  public static final String METADATA_DATABASE = MetadataStore.DATABASE;
  public static final int DEFAULT_TENANT_CONNECTION_LIMIT = 20;
  private static final Internal INTERNAL = new Internal();
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  private final Cluster cluster;
  private final ReleaseModules modules;
  private final ReleaseCatalog releases;
  private final Guard guard;
  private final Connections connections;
  private final Attachments attachments;
  private final Databases databases;
  private final CloudOperations cloud;
  private final Upgrades upgrades;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Duration reconcileEvery;
  private final int tenantConnectionLimit;
  private final MeterRegistry meters;

  private Engine(Builder b) {
    this.cluster = b.cluster;
    this.modules = new ReleaseModules(b.releases, b.modules);
    this.releases = b.releases;
    List<EngineExtension> extensions = List.copyOf(b.extensions);
    Pools pools = new Pools(cluster, b.poolSize);
    MetadataStore metadata = new MetadataStore(pools.forDatabase(METADATA_DATABASE));
    this.guard = new Guard(INTERNAL, pools.forDatabase(METADATA_DATABASE), releases);
    Upgrader upgrader = new Upgrader(INTERNAL, guard, releases, pools.forDatabase(METADATA_DATABASE));
    this.reconcileEvery = b.reconcileEvery;
    this.tenantConnectionLimit = b.tenantConnectionLimit;
    this.meters = b.meters;
    // What modules see of the extensions: where they find this engine's own cloud clients.
    Extensions byType = new Extensions() {
      @Override
      public <T extends EngineExtension> Optional<T> find(Class<T> type) {
        return extensions.stream().filter(e -> e.getClass() == type).map(type::cast).findFirst();
      }
    };
    Observer observer = new Observer(b.meters, b.operationListener);
    this.connections = new Connections(cluster, pools, metadata);
    this.attachments = new Attachments(cluster, connections, metadata, extensions);
    this.databases = new Databases(cluster, connections, metadata, modules, releases, attachments);
    OperationRunner runner = new OperationRunner(guard, connections, observer, b.lockTimeout, closed);
    this.cloud = new CloudOperations(runner, modules, connections, byType);
    this.upgrades = new Upgrades(upgrader, metadata, modules, connections, observer, b.lockTimeout, cloud);
  }

  public static Builder configure() {
    return new Builder();
  }

  private void start() {
    int usable = ClusterCheck.check(cluster);
    connections.limit(usable);
    connections.start(tenantConnectionLimit);
    attachments.start(this, reconcileEvery);
    int served = attachments.served().size();
    LOG.info("engine started on {} with {} modules, {} {}", cluster, modules.latest().all().size(), served,
        served == 1 ? "database" : "databases");
  }

  /** The databases this engine serves right now. */
  public Set<String> attachedDatabases() {
    return attachments.served();
  }

  /**
   * Whether the engine serves: it runs, a query on the metadata database succeeds, and every attached database has
   * its SQL bridge listening. DOWN, with the reason, is an answer, never an exception.
   */
  public Health health() {
    return closed.get() ? new Health(Health.Status.DOWN, false, 0, Set.of(), 0, "the engine is stopped")
        : attachments.health();
  }

  /** Where the engine and its extensions record their meters (a registry that keeps nothing, unless given one). */
  public MeterRegistry meterRegistry() {
    return meters;
  }

  // ---- database lifecycle (admin, not guarded) ----

  /**
   * Creates a user database with its own login role, at the latest release, with the platform modules installed.
   * Either everything is created or nothing is left behind.
   */
  public CreatedDatabase createDatabase(DatabaseName name) {
    return createDatabase(name, releases.latest());
  }

  /** {@link #createDatabase(DatabaseName)} for a name as the user typed it (IQ301 when it cannot name one). */
  public CreatedDatabase createDatabase(String name) {
    return createDatabase(DatabaseName.of(name));
  }

  /** {@link #createDatabase(DatabaseName, String)} for a name as the user typed it. */
  public CreatedDatabase createDatabase(String name, String release) {
    return createDatabase(DatabaseName.of(name), release);
  }

  /**
   * Creates a user database at a given supported release, such as an older one a user pins, or to test the upgrade
   * path; {@code iasql_upgrade()} later moves it to the latest.
   */
  public CreatedDatabase createDatabase(DatabaseName name, String release) {
    ensureOpen(closed);
    return databases.create(name, release);
  }

  /** Drops a user database (ending its sessions) and its login role. */
  public void dropDatabase(DatabaseName name) {
    ensureOpen(closed);
    databases.drop(name);
  }

  /** {@link #dropDatabase(DatabaseName)} for a name as the user typed it. */
  public void dropDatabase(String name) {
    dropDatabase(DatabaseName.of(name));
  }

  public List<DatabaseInfo> listDatabases() {
    ensureOpen(closed);
    return databases.list();
  }

  /** A permit for guarded work on one database, or the error saying why not (upgrading, unsupported release). */
  public Permit permit(DatabaseName database) {
    ensureOpen(closed);
    argument(database, "database");
    try {
      return guard.permit(database);
    } catch (RuntimeException e) {
      throw coded("permit", e);
    }
  }

  // ---- guarded operations ----

  /**
   * Installs modules and their dependencies in one transaction, then imports their tables' cloud state in the same
   * transaction: a module whose import fails (bad credentials, say) is not installed.
   */
  public InstallResult install(Permit permit, List<String> names, Call call) {
    return cloud.install(permit, names, call);
  }

  /** Uninstalls modules in one transaction; refused while another installed module depends on one of them. */
  public UninstallResult uninstall(Permit permit, List<String> names, Call call) {
    return cloud.uninstall(permit, names, call);
  }

  /** Pushes the database to the cloud; returns the changes made. */
  public List<Change> apply(Permit permit, Call call) {
    return cloud.apply(permit, call);
  }

  /** What {@link #apply} would change in the cloud; changes nothing. */
  public List<Change> previewApply(Permit permit, Call call) {
    return cloud.previewApply(permit, call);
  }

  /** Pulls the cloud into the database; returns what happened to DB rows. */
  public List<Change> sync(Permit permit, Call call) {
    return cloud.sync(permit, call);
  }

  /** What {@link #sync} would change in the database; changes nothing. */
  public List<Change> previewSync(Permit permit, Call call) {
    return cloud.previewSync(permit, call);
  }

  /**
   * Deletes every row of every module table but the ones modules keep (credentials, regions); rows the cloud owns
   * (default VPC and the like) come back at the next apply. Returns the rows deleted per table.
   */
  public List<ModuleTable> deleteAllRecords(Permit permit, Call call) {
    return cloud.deleteAllRecords(permit, call);
  }

  /**
   * Loads the region list from the cloud into the account module's tables, and nothing else (a sync would also drop
   * rows not yet applied). Without an account module or credentials there is nothing to load.
   */
  public List<Change> refreshRegions(Permit permit, Call call) {
    return cloud.refreshRegions(permit, call);
  }

  /**
   * Moves a database to the latest release in place, keeping every row (credentials, regions, rows not yet applied,
   * the audit log). Not guarded by a permit: it works on a database at an unsupported release, and it takes the
   * upgrade lease itself, so a second upgrade of the same database is refused while the first runs. Blocks until done,
   * reporting progress; if it stops half way, the database stays refused until the next call resumes it.
   */
  public UpgradeResult upgrade(DatabaseName database, Call call) {
    argument(database, "database");
    argument(call, "call");
    ensureOpen(closed);
    return upgrades.upgrade(database, call);
  }

  // ---- catalog ----

  /** The modules of the latest release. */
  public List<ModuleInfo> availableModules() {
    return availableModules(releases.latest());
  }

  /** The modules a database at this release can install (platform modules at that release). */
  public List<ModuleInfo> availableModules(String release) {
    return modules.catalog(release).all().stream()
        .map(m -> new ModuleInfo(m.name().value(), m.platform() ? release : m.version(),
            m.dependencies().stream().map(d -> d.value()).toList()))
        .toList();
  }

  public ReleaseCatalog releases() {
    return releases;
  }

  /** Stops serving: extensions end in-flight calls with an error, then every connection closes. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    attachments.close();
    connections.closeAll();
    LOG.info("engine stopped");
  }

  /**
   * Proof that the caller is the engine itself. Its constructor is private to {@code Engine}, which keeps its one
   * instance private: the guard and the upgrader demand one, so host code can build neither (and so can never hand an
   * upgrader steps of its own that would receive the upgrade's bypass permit).
   */
  public static final class Internal {
    private Internal() {}
  }

  /** Settings for an engine; {@link #build()} copies them, checks them and starts the engine. */
  public static final class Builder {
    private Cluster cluster;
    private List<? extends Module> modules;
    private ReleaseCatalog releases = ReleaseCatalog.standard();
    private final List<EngineExtension> extensions = new ArrayList<>();
    private boolean discoverExtensions = true;
    private int poolSize = 10;
    private Duration reconcileEvery = Duration.ofSeconds(5);
    private int tenantConnectionLimit = DEFAULT_TENANT_CONNECTION_LIMIT;
    private Duration lockTimeout = LockWaits.DEFAULT_TIMEOUT;
    private MeterRegistry meters = new CompositeMeterRegistry();
    private OperationListener operationListener = OperationListener.NONE;

    private Builder() {}

    /**
     * Where to record meters: {@code iasql.calls} (a timer by function and outcome), {@code iasql.errors} (by
     * function and SQLSTATE), {@code iasql.aws.requests} (by service, operation and outcome) and {@code
     * iasql.bridge.waiting} (SQL calls waiting for a worker). Default: none kept.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meters = argument(registry, "registry");
      return this;
    }

    /** Hears every operation's start, progress and end (see {@link OperationListener}). */
    public Builder operationListener(OperationListener listener) {
      this.operationListener = argument(listener, "listener");
      return this;
    }

    public Builder cluster(Cluster cluster) {
      this.cluster = argument(cluster, "cluster");
      return this;
    }

    /**
     * The PostgreSQL to run on, in one call: {@code .postgres(PostgresCluster.embedded(options))} or {@code
     * .postgres(PostgresCluster.external(url))} (engine-postgres). The caller stops the cluster after the engine.
     */
    public Builder postgres(PostgresSource postgres) {
      return cluster(argument(postgres, "postgres").engineCluster());
    }

    /** The modules to offer; by default every module {@link ServiceLoader} finds. */
    public Builder modules(List<? extends Module> modules) {
      this.modules = List.copyOf(modules);
      new ModuleCatalog(this.modules.stream().filter(m -> m.version().equals(releases.latest()) || m.platform())
          .toList()); // checks names and dependencies now, where the caller sees it
      return this;
    }

    public Builder releases(ReleaseCatalog releases) {
      this.releases = argument(releases, "releases");
      return this;
    }

    /** An extension of this engine; it replaces the one discovery would find of the same class. */
    public Builder extension(EngineExtension extension) {
      extensions.add(argument(extension, "extension"));
      return this;
    }

    /** Whether to add the extensions {@link ServiceLoader} finds (the SQL function bridge among them); default yes. */
    public Builder discoverExtensions(boolean discover) {
      this.discoverExtensions = discover;
      return this;
    }

    /** Admin connections per database (default 10). */
    public Builder poolSize(int poolSize) {
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
    public Builder reconcileEvery(Duration interval) {
      if (argument(interval, "interval").isNegative() || interval.isZero()) {
        throw invalid("reconcileEvery must be positive, not " + interval);
      }
      this.reconcileEvery = interval;
      return this;
    }

    /**
     * How many sessions each tenant login may hold at once (default {@value #DEFAULT_TENANT_CONNECTION_LIMIT}), so
     * that no tenant can take the connection slots every other tenant needs. Applied to the databases this engine
     * creates, and to older ones it moves to their owner role; change an existing one with {@code ALTER ROLE}.
     */
    public Builder tenantConnectionLimit(int limit) {
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
    public Builder lockTimeout(Duration timeout) {
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
        engine.start();
      } catch (RuntimeException e) {
        engine.close();
        throw e;
      }
      return engine;
    }
  }
}
