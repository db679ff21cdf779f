package dev.iasql.engine;

import static dev.iasql.engine.EngineErrors.notFound;

import dev.iasql.engine.metadata.MetadataStore;
import dev.iasql.engine.sql.Sql;
import dev.iasql.engine.sql.Pools;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Where the engine's connections come from: the admin's pools and unpooled sessions, and each user database's owner
 * role, whose logins it keeps. The engine's work inside a user database is never the superuser's.
 */
final class Connections {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Engine.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Cluster cluster;
  private final Pools pools;
  private final MetadataStore metadata;
  private final Map<String, Tenancy.Login> owners = new ConcurrentHashMap<>();
  /** Set once the metadata database (which holds the engine secret) is migrated. */
  private volatile Tenancy tenancy;

  Connections(Cluster cluster, Pools pools, MetadataStore metadata) {
    this.cluster = cluster;
    this.pools = pools;
    this.metadata = metadata;
  }

  /**
   * The tenants' share of the cluster: the engine opens at most {@link Pools#ENGINE_SHARE_PERCENT} percent of the
   * sessions the cluster's users may open, and never takes the rest, so that tenants can log in however many databases
   * the engine serves or how busy they are. Called before any connection is opened.
   */
  void limit(int usableConnections) {
    int share = Math.max(Pools.MIN_SESSIONS, usableConnections * Pools.ENGINE_SHARE_PERCENT / 100);
    pools.limit(share);
    LOG.info("the engine opens at most {} of the cluster's {} sessions ({} of them for its metadata only); the other"
        + " {} are the tenants'", share, usableConnections, pools.reserve(share), Math.max(0, usableConnections - share));
  }

  /**
   * Creates and migrates the metadata database, then takes the engine secret from it, which names and keys every
   * owner role.
   */
  void start(int tenantConnectionLimit, AdminPowers powers) {
    MetadataStore.ensureCreated(admin("postgres"));
    forget("postgres");
    metadata.migrate();
    byte[] fresh = new byte[32];
    RANDOM.nextBytes(fresh);
    // The owner role's sessions: the pool, an upgrade lease, and one dblink per tenant session that calls.
    tenancy = new Tenancy(metadata.engineSecret(fresh), tenantConnectionLimit,
        tenantConnectionLimit + pools.maxPerDatabase() + 8, powers);
    try (Connection c = admin("postgres").getConnection()) {
      if (powers instanceof AdminPowers.Superuser) {
        // Tenants log in to their own database only. PostgreSQL lets PUBLIC into postgres and template1 by default:
        // a tenant session there could also block every CREATE DATABASE (template1 "is being accessed"). A
        // non-superuser cannot revoke there: ClusterCheck reports it, and the README says what the operator does.
        Sql.execFormatted(c, "REVOKE CONNECT, TEMPORARY ON DATABASE postgres, template1 FROM PUBLIC");
      }
      Tenancy.ensureRingers(c, MetadataStore.DATABASE);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot make the ring roles' group: " + e.getMessage(), e);
    }
  }

  /** The conninfo a user database's bridge rings the engine's doorbell with, as its ring role. */
  String ringConnInfo(String tenantRole) {
    Tenancy.Login ring = tenancy.ring(tenantRole);
    return cluster.loginConnInfo().conninfo(MetadataStore.DATABASE, ring.user(), ring.password());
  }

  /** The same, for a cluster that trusts the route and so asks for no password (see {@link Loopback}). */
  String ringConnInfoWithoutPassword(String tenantRole) {
    return cluster.loginConnInfo().conninfo(MetadataStore.DATABASE, tenancy.ring(tenantRole).user(), "");
  }

  /** What the admin may do; known once {@link #start} ran. */
  AdminPowers powers() {
    return tenancy.powers();
  }

  Tenancy tenancy() {
    return tenancy;
  }

  /** Pooled admin connections: the metadata database, and postgres for creating and dropping databases. */
  DataSource admin(String db) {
    return pools.forDatabase(db);
  }

  /** The owner role's login of a user database. */
  Tenancy.Login owner(String db, String tenantRole) {
    return owners.computeIfAbsent(db, d -> tenancy.owner(tenantRole));
  }

  DataSource userPool(String db) {
    Tenancy.Login owner = owners.computeIfAbsent(db, d -> tenancy.owner(tenantOf(DatabaseName.of(d))));
    return pools.forDatabase(db, owner.user(), owner.password());
  }

  /** Pooled connections to a user database as its owner role. */
  DataSource userPool(String db, String tenantRole) {
    Tenancy.Login owner = owner(db, tenantRole);
    return pools.forDatabase(db, owner.user(), owner.password());
  }

  /** An unpooled connection to a user database as its owner role. */
  Connection dedicated(String db, String tenantRole, Properties driverProperties) throws SQLException {
    Tenancy.Login owner = owner(db, tenantRole);
    return connect(db, owner.user(), owner.password(), driverProperties);
  }

  /** An unpooled admin connection: the metadata database, and setting up a user database before anything runs. */
  Connection dedicatedAdmin(String db, Properties driverProperties) throws SQLException {
    return connect(db, cluster.adminUser(), cluster.adminPassword(), driverProperties);
  }

  /** The tenant's login role of a user database. */
  String tenantOf(DatabaseName db) {
    return metadata.find(db.value()).orElseThrow(() -> notFound(db)).pgUser();
  }

  /** Closes a database's pools and forgets its owner's login (it is dropped, detached, or was never made). */
  void forget(String db) {
    pools.close(db);
    owners.remove(db);
  }

  void closeAll() {
    pools.close();
  }

  private Connection connect(String db, String user, String password, Properties driverProperties)
      throws SQLException {
    Properties p = new Properties();
    p.putAll(driverProperties);
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("ApplicationName", "iasql-engine");
    p.setProperty("tcpKeepAlive", "true");
    return pools.counted(() -> DriverManager.getConnection(cluster.jdbcUrl(db), p));
  }
}
