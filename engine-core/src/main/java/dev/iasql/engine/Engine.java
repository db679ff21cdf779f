package dev.iasql.engine;

import static dev.iasql.engine.EngineErrors.argument;
import static dev.iasql.engine.EngineErrors.coded;
import static dev.iasql.engine.EngineErrors.ensureOpen;

import dev.iasql.engine.guard.Guard;
import dev.iasql.engine.guard.Permit;
import dev.iasql.engine.metadata.MetadataStore;
import dev.iasql.engine.module.ReleaseModules;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.sql.Pools;
import dev.iasql.engine.sql.Sql;
import dev.iasql.engine.upgrade.Upgrader;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
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
  /**
   * The channel in the metadata database where engines are told of calls and of each other's creates and drops
   * ({@code d:0:<database>}); the SQL bridge listens on it.
   */
  public static final String DOORBELL_CHANNEL = MetadataStore.RING_CHANNEL;
  public static final int DEFAULT_TENANT_CONNECTION_LIMIT = 20;
  private static final Internal INTERNAL = new Internal();
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  private final AtomicBoolean closed = new AtomicBoolean();
  private final Wiring parts;

  Engine(EngineBuilder b) {
    // The module set is checked first: a build it fails leaves no pool behind.
    ReleaseModules modules = new ReleaseModules(b.releases, b.modules, List.copyOf(b.extensions));
    Pools pools = new Pools(b.cluster, b.poolSize);
    Guard guard = new Guard(INTERNAL, pools.forDatabase(METADATA_DATABASE), b.releases);
    this.parts = Wiring.of(b, modules, pools, guard, new Upgrader(INTERNAL, guard, b.releases,
        pools.forDatabase(METADATA_DATABASE)), closed);
  }

  /** Settings for a new engine: {@code Engine.configure().postgres(…).build()}. */
  public static EngineBuilder configure() {
    return new EngineBuilder();
  }

  /** Checks the cluster, then serves every database of the metadata database; {@link EngineBuilder#build} calls it. */
  void start(EngineBuilder b) {
    // jOOQ's first render costs seconds on a busy machine: paid now, beside the start, not by the first user call.
    Thread warm = new Thread(Sql::warmUp, "iasql-jooq-warm-up");
    warm.setDaemon(true);
    warm.start();
    ClusterCheck.Checked checked = ClusterCheck.check(parts.cluster());
    parts.connections().limit(checked.usable());
    checked.report(parts.cluster());
    parts.connections().start(b.tenantConnectionLimit, checked.powers());
    parts.attachments().start(this, b.reconcileEvery);
    int served = parts.attachments().served().size();
    LOG.info("engine started on {} with {} modules, {} {}", parts.cluster(), parts.modules().latest().all().size(),
        served, served == 1 ? "database" : "databases");
  }

  /**
   * What the engine's admin role may do on this cluster: a superuser, or a managed service's role with the protections
   * the engine could not apply there (the operator's to apply; see the README's Managed PostgreSQL).
   */
  public AdminPowers adminPowers() {
    return parts.connections().powers();
  }

  /**
   * Compares the databases this engine serves with the metadata database's list soon, on the engine's own thread,
   * instead of at the next periodic compare ({@link EngineBuilder#reconcileEvery}): another engine on the cluster has
   * created or dropped one. Requests made while one is pending are folded into it.
   */
  public void refreshAttachments() {
    parts.attachments().reconcileSoon();
  }

  /**
   * Serves {@code database} now, ahead of those a start or a compare is still attaching, if the metadata database lists
   * it as ready and this engine does not serve it yet: a caller found no engine serving it. Returns at once.
   */
  public void serveSoon(String database) {
    parts.attachments().serveSoon(argument(database, "database"));
  }

  /** The databases this engine serves right now. */
  public Set<String> attachedDatabases() {
    return parts.attachments().served();
  }

  /**
   * Whether the engine serves: it runs, a query on the metadata database succeeds, and every attached database has
   * its SQL bridge listening. DOWN, with the reason, is an answer, never an exception.
   */
  public Health health() {
    return closed.get() ? new Health(Health.Status.DOWN, false, 0, Set.of(), 0, "the engine is stopped")
        : parts.attachments().health();
  }

  /** Where the engine and its extensions record their meters (a registry that keeps nothing, unless given one). */
  public MeterRegistry meterRegistry() {
    return parts.meters();
  }

  // ---- database lifecycle (admin, not guarded) ----

  /**
   * Creates a user database with its own login role, at the latest release, with the platform modules installed.
   * Either everything is created or nothing is left behind.
   */
  public CreatedDatabase createDatabase(DatabaseName name) {
    return createDatabase(name, parts.releases().latest());
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
    return parts.databases().create(name, release);
  }

  /** Drops a user database (ending its sessions) and its login role. */
  public void dropDatabase(DatabaseName name) {
    ensureOpen(closed);
    parts.databases().drop(name);
  }

  /** {@link #dropDatabase(DatabaseName)} for a name as the user typed it. */
  public void dropDatabase(String name) {
    dropDatabase(DatabaseName.of(name));
  }

  public List<DatabaseInfo> listDatabases() {
    ensureOpen(closed);
    return parts.databases().list();
  }

  /** A permit for guarded work on one database, or the error saying why not (upgrading, unsupported release). */
  public Permit permit(DatabaseName database) {
    ensureOpen(closed);
    argument(database, "database");
    try {
      return parts.guard().permit(database);
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
    return parts.cloud().install(permit, names, call);
  }

  /** Uninstalls modules in one transaction; refused while another installed module depends on one of them. */
  public UninstallResult uninstall(Permit permit, List<String> names, Call call) {
    return parts.cloud().uninstall(permit, names, call);
  }

  /** Pushes the database to the cloud; returns the changes made. */
  public List<Change> apply(Permit permit, Call call) {
    return parts.cloud().apply(permit, call);
  }

  /** What {@link #apply} would change in the cloud; changes nothing. */
  public List<Change> previewApply(Permit permit, Call call) {
    return parts.cloud().previewApply(permit, call);
  }

  /** Pulls the cloud into the database; returns what happened to DB rows. */
  public List<Change> sync(Permit permit, Call call) {
    return parts.cloud().sync(permit, call);
  }

  /** What {@link #sync} would change in the database; changes nothing. */
  public List<Change> previewSync(Permit permit, Call call) {
    return parts.cloud().previewSync(permit, call);
  }

  /**
   * Deletes every row of every module table but the ones modules keep (credentials, regions); rows the cloud owns
   * (default VPC and the like) come back at the next apply. Returns the rows deleted per table.
   */
  public List<ModuleTable> deleteAllRecords(Permit permit, Call call) {
    return parts.cloud().deleteAllRecords(permit, call);
  }

  /**
   * Loads the region list from the cloud into the account module's tables, and nothing else (a sync would also drop
   * rows not yet applied). Without an account module or credentials there is nothing to load.
   */
  public List<Change> refreshRegions(Permit permit, Call call) {
    return parts.cloud().refreshRegions(permit, call);
  }

  /**
   * Runs an installed module's own function ({@link dev.iasql.engine.spi.Rpc}) with the database's connection and
   * cloud context; returns its rows. {@code arguments} as the caller gave them, an empty one for NULL.
   */
  public List<Record> rpc(Permit permit, String module, String function, List<String> arguments, Call call) {
    return parts.cloud().rpc(permit, module, function, arguments, call);
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
    return parts.upgrades().upgrade(database, call);
  }

  // ---- catalog ----

  /** The modules of the latest release. */
  public List<ModuleInfo> availableModules() {
    return availableModules(parts.releases().latest());
  }

  /** The modules a database at this release can install (platform modules at that release). */
  public List<ModuleInfo> availableModules(String release) {
    return parts.databases().availableModules(release);
  }

  public ReleaseCatalog releases() {
    return parts.releases();
  }

  /** Stops serving: extensions end in-flight calls with an error, then every connection closes. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    parts.attachments().close();
    parts.cloud().close();
    parts.connections().closeAll();
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
}
