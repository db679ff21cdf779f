package dev.iasql.functions;

import dev.iasql.engine.Engine;
import dev.iasql.engine.platform.PlatformModule;
import dev.iasql.engine.spi.AttachedDatabase;
import dev.iasql.engine.spi.EngineExtension;
import dev.iasql.engine.spi.Module;
import dev.iasql.engine.sql.AdvisoryLocks;
import dev.iasql.functions.SqlFunction.Scope;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine side of the SQL function bridge: one {@link Doorbell} for every served database, and a {@link
 * Dispatcher} that runs the calls, fairly between databases, on connections opened only while a database has calls. Found by {@link java.util.ServiceLoader}, so an engine built with this jar on its class path serves
 * SQL calls without further wiring.
 */
public final class Bridge implements EngineExtension {
  private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
  static final String WAITING = "iasql.bridge.waiting";
  static final String HANDED_OVER = "iasql.bridge.handed.over";
  /** How long detach waits for a database's calls to write their outcome once cancelled. */
  private static final Duration DETACH_WAIT = Duration.ofSeconds(10);

  private final InFlight inFlight = new InFlight();
  private final Dispatcher workers = new Dispatcher();
  private final Sweeps sweeps = new Sweeps();
  private volatile Doorbell doorbell;
  private volatile @Nullable Wire wire;
  private volatile Engine engine;
  private volatile AttachedDatabase metadata;

  @Override
  public void start(Engine engine, AttachedDatabase metadata) {
    this.engine = engine;
    this.metadata = metadata;
    Gauge.builder(WAITING, workers, Dispatcher::waiting).description("SQL calls waiting for a worker")
        .register(engine.meterRegistry());
    FunctionCounter.builder(HANDED_OVER, workers, Dispatcher::handedOver)
        .description("SQL calls run on a thread of their own, not on the one that read them")
        .register(engine.meterRegistry());
    try (Connection c = metadata.dataSource().getConnection()) {
      c.setAutoCommit(false);
      // Several engines may start at once; CREATE OR REPLACE of one function concurrently fails otherwise.
      AdvisoryLocks.lockForTransaction(c, AdvisoryLocks.Key.BRIDGE_PLUMBING);
      try (Statement s = c.createStatement()) {
        s.execute(PlatformModule.OPERATION_TABLE);
        s.execute(BridgeSql.plumbing());
        s.execute(BridgeSql.functions(Scope.METADATA));
        s.execute(BridgeSql.doorbell());
        // Lines of calls whose engine died: a day is longer than any call runs.
        s.execute("DELETE FROM iasql_engine.progress WHERE at < clock_timestamp() - interval '1 day'");
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot install the bridge in the metadata database: " + e.getMessage(), e);
    }
    wire = openWire(metadata, workers);
    doorbell = new Doorbell(metadata, workers, wire, engine::refreshAttachments, engine::serveSoon);
    doorbell.start();
    serve(metadata, Handlers.METADATA);
  }

  /**
   * The engine's own port for calls, on the loopback address: only where the cluster runs on this machine (the
   * engine reached it over loopback or a socket), or its servers could not reach the port; elsewhere calls take the
   * queued route.
   */
  private static @Nullable Wire openWire(AttachedDatabase metadata, Dispatcher workers) {
    try (Connection c = metadata.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(pg_catalog.host(pg_catalog.inet_client_addr())"
            + " IN ('127.0.0.1', '::1'), true)")) {
      if (!rs.next() || !rs.getBoolean(1)) {
        LOG.info("the cluster runs on another machine: calls take the queued route");
        return null;
      }
      Wire w = Wire.open(workers, metadata.dataSource());
      LOG.info("calls come in on port {} of the loopback address", w.port());
      return w;
    } catch (SQLException | java.io.IOException e) {
      LOG.warn("no port of its own for calls, which take the queued route: {}", e.getMessage());
      return null;
    }
  }

  @Override
  public void attach(AttachedDatabase database) {
    serve(database, Handlers.USER_DATABASE);
  }

  /**
   * Brings the database's plumbing up to date and rings for it from now on. The set-up runs on a connection of its
   * own, closed at once: serving a database holds none of its connections.
   */
  private void serve(AttachedDatabase database, Map<String, Handler> handlers) {
    try (Connection c = database.dedicated().open(new java.util.Properties())) {
      refreshPlumbing(c, database);
      writeConnInfo(c, database);
      // Whichever engine takes its presence lock runs what it queued meanwhile (see Doorbell#takenOver).
      long oid = oidOf(database.name());
      doorbell.serve(database, oid, new Worker(database, oid, handlers, this), c);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot serve " + database + ": " + e.getMessage(), e);
    }
  }

  /** The database's oid: cluster-wide, read in the metadata database. */
  private long oidOf(String database) throws SQLException {
    try (Connection c = metadata.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT oid FROM pg_catalog.pg_database WHERE datname = ?")) {
      ps.setString(1, database);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("database " + database + " does not exist");
        }
        return rs.getLong(1);
      }
    }
  }

  /**
   * A database keeps the bridge plumbing of the build that created it, but callers and workers must speak the same
   * protocol (the request lock's key, the cycle check, the doorbell): plumbing another build installed is replaced
   * before serving.
   */
  private static void refreshPlumbing(Connection c, AttachedDatabase database) throws SQLException {
    String digest = BridgeSql.plumbingDigest();
    c.setAutoCommit(false);
    try {
      try (PreparedStatement current = c.prepareStatement("SELECT plumbing FROM iasql_engine.config")) {
        try (ResultSet rs = current.executeQuery()) {
          // No row yet: a database this build has just created (its plumbing is ours; the row records it next).
          if (!rs.next() || digest.equals(rs.getString(1))) {
            c.rollback();
            return;
          }
        }
      } catch (SQLException e) {
        c.rollback(); // no such column yet: an older build's plumbing
      }
      // Sessions of the database may hold what the script locks: the bound covers the rest of the transaction.
      AdvisoryLocks.lockForTransaction(c, AdvisoryLocks.Key.BRIDGE_PLUMBING, Duration.ofSeconds(5));
      try (Statement s = c.createStatement()) {
        s.execute(BridgeSql.plumbing());
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE iasql_engine.config SET plumbing = ?")) {
        ps.setString(1, digest);
        ps.executeUpdate();
      }
      c.commit();
      LOG.info("refreshed the bridge plumbing of {}", database);
    } catch (SQLException e) {
      c.rollback();
      // Served anyway: its calls may fail until the plumbing is refreshed at the next attach.
      LOG.warn("could not refresh the bridge plumbing of {}: {}", database, e.getMessage());
    } finally {
      c.setAutoCommit(true);
    }
  }

  /**
   * The loopback and ring conninfos may change between runs (the embedded cluster's socket directory, its port), so
   * refresh them.
   */
  private static void writeConnInfo(Connection c, AttachedDatabase database) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO iasql_engine.config (conninfo, plumbing,"
        + " ring_conninfo) VALUES (?, ?, ?) ON CONFLICT (singleton) DO UPDATE SET conninfo = EXCLUDED.conninfo,"
        + " ring_conninfo = EXCLUDED.ring_conninfo")) {
      ps.setString(1, database.bridgeConnInfo());
      ps.setString(2, BridgeSql.plumbingDigest());
      ps.setString(3, database.ringConnInfo());
      ps.executeUpdate();
    }
  }

  @Override
  public void detach(String databaseName) {
    // No new call starts; the running ones are stopped, then awaited: their connections are about to close.
    doorbell.stop(databaseName);
    inFlight.cancelAll(databaseName);
    try {
      if (!workers.awaitIdle(databaseName, DETACH_WAIT)) {
        LOG.warn("calls of {} still running {} s after it was detached", databaseName, DETACH_WAIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sweeps.forget(databaseName);
  }

  @Override
  public void close() {
    inFlight.stopping();
    inFlight.cancelAll(null);
    Doorbell d = doorbell;
    if (d != null) {
      d.requestStop();
      d.awaitStop();
    }
    Wire w = wire;
    if (w != null) {
      w.close();
    }
    sweeps.close();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(15, TimeUnit.SECONDS)) {
        LOG.warn("some calls were still running when the bridge stopped");
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public Status status() {
    Doorbell d = doorbell;
    // One session listens for all: while it reconnects, no database is served.
    Set<String> down = d == null || d.listening() ? Set.of() : new TreeSet<>(d.served());
    return new Status(down, workers.waiting());
  }

  Engine engine() {
    return engine;
  }

  /** The metadata database, where running calls keep their progress lines (see {@code doorbell.sql}). */
  AttachedDatabase metadata() {
    return metadata;
  }

  InFlight inFlight() {
    return inFlight;
  }

  /** A module's RPCs, installed with it (the installer grants the tenant EXECUTE on them). */
  @Override
  public List<String> installSql(Module module) {
    return FunctionRegistry.installSql(module);
  }

  @Override
  public List<String> uninstallSql(Module module) {
    return FunctionRegistry.uninstallSql(module);
  }

  Sweeps sweeps() {
    return sweeps;
  }
}
