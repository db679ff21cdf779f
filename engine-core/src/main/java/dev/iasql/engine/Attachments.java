package dev.iasql.engine;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.metadata.DatabaseRecord;
import dev.iasql.engine.metadata.MetadataStore;
import dev.iasql.engine.spi.AttachedDatabase;
import dev.iasql.engine.spi.EngineExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The databases this engine serves, and its extensions told of each. Several engines may serve one cluster: each
 * picks up what another created and lets go of what another dropped, without a coordinator of its own.
 */
final class Attachments {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  private final Cluster cluster;
  private final Connections connections;
  private final MetadataStore metadata;
  private final List<EngineExtension> extensions;
  private final Set<String> attached = ConcurrentHashMap.newKeySet();
  /**
   * One attach or detach of a database at a time. A create attaches the database it made while the reconciler,
   * finding it listed as ready a moment earlier, may already be attaching it: the create must return only once it is
   * served (its first call found no engine otherwise). A drop detaches it while the reconciler, seeing it no longer
   * ready, may too: the second must not close its pools while the first still waits for its calls to end.
   */
  private final Map<String, Object> turns = new ConcurrentHashMap<>();
  private final Loopback loopback = new Loopback();
  private volatile boolean stopped;
  /** A compare asked for and not yet begun: further asks meanwhile add nothing. */
  private final java.util.concurrent.atomic.AtomicBoolean soon = new java.util.concurrent.atomic.AtomicBoolean();
  private final ScheduledExecutorService reconciler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "iasql-reconcile");
    t.setDaemon(true);
    return t;
  });
  /** The most databases waiting to be served ahead of the others; more wait for the start or the compare. */
  static final int MAX_WANTED = 1_024;
  /** Databases a caller waits for, asked for once each until their turn comes (see {@link #serveSoon}). */
  private final Set<String> wanted = ConcurrentHashMap.newKeySet();
  private final ExecutorService first = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "iasql-attach-first");
    t.setDaemon(true);
    return t;
  });

  Attachments(Cluster cluster, Connections connections, MetadataStore metadata, List<EngineExtension> extensions) {
    this.cluster = cluster;
    this.connections = connections;
    this.metadata = metadata;
    this.extensions = extensions;
  }

  Set<String> served() {
    return Set.copyOf(attached);
  }

  /**
   * Starts the extensions on the metadata database, serves the databases listed as ready, and compares again every
   * {@code every}, until {@link #close}.
   */
  void start(Engine engine, Duration every) {
    AttachedDatabase meta = new AttachedDatabase(MetadataStore.DATABASE, AttachedDatabase.Kind.METADATA,
        connections.admin(MetadataStore.DATABASE), cluster.bridgeConnInfo().apply(MetadataStore.DATABASE), null,
        null, props -> connections.dedicatedAdmin(MetadataStore.DATABASE, props));
    for (EngineExtension e : extensions) {
      e.start(engine, meta);
    }
    for (DatabaseRecord r : metadata.list()) {
      if (!r.ready()) {
        LOG.warn("database {} was left {} by an earlier engine; drop it with ./iasql db drop {}",
            r.name(), r.lifecycle(), r.name());
      }
    }
    reconcile();
    // Runs until close() shuts the executor down; reconcile() logs its own failures.
    ScheduledFuture<?> unused = reconciler.scheduleWithFixedDelay(this::reconcile, every.toMillis(),
        every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** {@link #reconcile} on the reconciler's thread, now rather than at its next round. */
  void reconcileSoon() {
    if (stopped || !soon.compareAndSet(false, true)) {
      return;
    }
    try {
      reconciler.execute(() -> {
        soon.set(false);
        reconcile();
      });
    } catch (RejectedExecutionException e) {
      soon.set(false); // closing
    }
  }

  /**
   * Serves {@code db} ahead of the databases a start or a compare is still attaching one by one, if the metadata
   * database lists it as ready: a caller waits for it. An engine starting on a cluster of 1,000 databases took minutes
   * to reach the last ones, whose callers failed meanwhile (IQ002), though an engine ran. Each database is asked for
   * once until its turn comes, so callers ringing every few ms add nothing.
   */
  void serveSoon(String db) {
    // Bounded: a ring names its database, but whoever may notify in the metadata database can name any.
    if (stopped || attached.contains(db) || wanted.size() >= MAX_WANTED || !wanted.add(db)) {
      return;
    }
    try {
      first.execute(() -> {
        wanted.remove(db);
        if (stopped || attached.contains(db)) {
          return;
        }
        try {
          metadata.find(db).filter(DatabaseRecord::ready).ifPresent(r -> {
            LOG.info("serving database {} ahead of the others: a caller waits for it", db);
            attach(db, r.pgUser());
          });
        } catch (RuntimeException e) {
          LOG.warn("could not serve database {} ahead of the others: {}", db, e.getMessage());
        }
      });
    } catch (RejectedExecutionException e) {
      wanted.remove(db); // closing
    }
  }

  /** Serves exactly the databases the metadata database lists as ready. */
  private void reconcile() {
    if (stopped) {
      return;
    }
    try {
      Map<String, String> ready = new HashMap<>();
      for (DatabaseRecord r : metadata.list()) {
        if (r.ready()) {
          ready.put(r.name(), r.pgUser());
        }
      }
      ready.forEach((db, role) -> {
        if (!attached.contains(db)) {
          attach(db, role);
        }
      });
      for (String db : Set.copyOf(attached)) {
        if (!ready.containsKey(db)) {
          LOG.info("database {} is no longer listed as ready; detaching", db);
          detach(db);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("could not compare the served databases with the metadata database: {}", e.getMessage());
    }
  }

  /** Serves the database, once: it returns when the database is served, by this call or one before it. */
  void attach(String db, String role) {
    synchronized (turns.computeIfAbsent(db, d -> new Object())) {
      if (!attached.contains(db)) {
        serve(db, role);
      }
    }
  }

  private void serve(String db, String role) {
    try {
      adoptIfOlder(db, role);
    } catch (EngineException e) {
      LOG.error("not serving database {}: {}: {} ({})", db, e.code().sqlState(), e.getMessage(),
          e.hint().orElse(""));
      return;
    } catch (SQLException | RuntimeException e) {
      LOG.error("cannot move database {} to its owner role; not serving it", db, e);
      return;
    }
    Tenancy.Login owner = connections.owner(db, role);
    String conninfo = cluster.loginConnInfo().conninfo(db, owner.user(), owner.password());
    // An unpooled session, closed at once: serving a database keeps none of its connections open.
    try (Connection c = connections.dedicated(db, role, new Properties())) {
      loopback.arrange(connections.powers(), c, () -> connections.dedicatedAdmin(db, new Properties()), db,
          owner.user(), conninfo,
          cluster.loginConnInfo().conninfo(db, owner.user(), ""), connections.ringConnInfoWithoutPassword(role));
    } catch (SQLException e) {
      LOG.warn("cannot reach database {} as its owner to arrange the bridge's loopback: {}", db, e.getMessage());
    }
    AttachedDatabase a = new AttachedDatabase(db, AttachedDatabase.Kind.USER, connections.userPool(db, role),
        conninfo, role, connections.ringConnInfo(role), props -> connections.dedicated(db, role, props));
    for (EngineExtension e : extensions) {
      try {
        e.attach(a);
      } catch (RuntimeException ex) {
        LOG.error("extension {} failed to attach database {}", e.getClass().getSimpleName(), db, ex);
      }
    }
    attached.add(db);
  }

  /**
   * A database made by an engine that worked there as the superuser is moved to its owner role before it is served;
   * one that is current costs one query.
   */
  private void adoptIfOlder(String db, String role) throws SQLException {
    Tenancy tenancy = connections.tenancy();
    try (Connection postgres = connections.admin("postgres").getConnection()) {
      tenancy.ensureRing(postgres, role);
      if (tenancy.isCurrent(postgres, db, role)) {
        tenancy.resetOwnerPassword(postgres, role);
        return;
      }
      if (!(tenancy.powers() instanceof AdminPowers.Superuser superuser)) {
        throw new EngineException(ErrorCode.ADOPTION_NEEDS_SUPERUSER, "database " + db + " was made by an older"
            + " engine, as the superuser, and only a superuser admin can move it to its owner role", "its objects"
            + " belong to the superuser, which " + cluster.adminUser() + " cannot take them from", "serve the cluster"
            + " once with a superuser's --postgres-url (the engine moves every such database as it starts), then"
            + " again as " + cluster.adminUser(), null);
      }
      LOG.info("moving database {} to its own owner role", db);
      try (Connection admin = connections.dedicatedAdmin(db, new Properties())) {
        tenancy.adopt(superuser, postgres, admin, db, role);
      }
    }
  }

  void detach(String db) {
    Object turn = turns.computeIfAbsent(db, d -> new Object());
    synchronized (turn) {
      if (attached.remove(db)) {
        for (EngineExtension e : extensions) {
          try {
            e.detach(db);
          } catch (RuntimeException ex) {
            LOG.error("extension {} failed to detach database {}", e.getClass().getSimpleName(), db, ex);
          }
        }
      }
      connections.forget(db);
    }
    turns.remove(db, turn);
  }

  /** Stops serving: extensions end in-flight calls with an error. */
  void close() {
    stopped = true;
    reconciler.shutdownNow();
    first.shutdownNow();
    for (EngineExtension e : extensions) {
      try {
        e.close();
      } catch (RuntimeException ex) {
        LOG.error("extension {} failed to close", e.getClass().getSimpleName(), ex);
      }
    }
    attached.clear();
  }

  /**
   * Whether the engine serves: a query on the metadata database succeeds, and every attached database has its SQL
   * bridge listening. DOWN, with the reason, is an answer, never an exception.
   */
  Health health() {
    List<String> reasons = new ArrayList<>();
    boolean reachable = false;
    Properties quick = new Properties();
    quick.setProperty("connectTimeout", "5");
    quick.setProperty("socketTimeout", "5");
    try (Connection c = connections.dedicatedAdmin(MetadataStore.DATABASE, quick);
        PreparedStatement ps = c.prepareStatement("SELECT 1")) {
      ps.execute();
      reachable = true;
    } catch (SQLException e) {
      reasons.add("the metadata database cannot be reached: " + e.getMessage());
    }
    Set<String> notListening = new TreeSet<>();
    int waiting = 0;
    for (EngineExtension e : extensions) {
      try {
        EngineExtension.Status status = e.status();
        notListening.addAll(status.notServed());
        waiting += status.waiting();
      } catch (RuntimeException ex) {
        reasons.add(e.getClass().getSimpleName() + " cannot say how it is: " + ex);
      }
    }
    if (!notListening.isEmpty()) {
      reasons.add("no listener serves " + String.join(", ", notListening));
    }
    return new Health(reasons.isEmpty() ? Health.Status.UP : Health.Status.DOWN, reachable, attached.size(),
        notListening, waiting, String.join("; ", reasons));
  }
}
