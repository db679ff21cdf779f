package dev.iasql.engine;

import static dev.iasql.engine.EngineErrors.argument;
import static dev.iasql.engine.EngineErrors.coded;
import static dev.iasql.engine.EngineErrors.notFound;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.metadata.DatabaseRecord;
import dev.iasql.engine.metadata.MetadataStore;
import dev.iasql.engine.module.Installer;
import dev.iasql.engine.module.ReleaseModules;
import dev.iasql.engine.operation.LogContext;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.sql.Sql;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates, drops and lists user databases (admin work, not guarded): each with its own login and owner roles. */
final class Databases {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class); // the engine's log, as before the split
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Cluster cluster;
  private final Connections connections;
  private final MetadataStore metadata;
  private final ReleaseModules modules;
  private final ReleaseCatalog releases;
  private final Attachments attachments;

  Databases(Cluster cluster, Connections connections, MetadataStore metadata, ReleaseModules modules,
      ReleaseCatalog releases, Attachments attachments) {
    this.cluster = cluster;
    this.connections = connections;
    this.metadata = metadata;
    this.modules = modules;
    this.releases = releases;
    this.attachments = attachments;
  }

  /** Either everything is created (and served) or nothing is left behind. */
  CreatedDatabase create(DatabaseName name, String release) {
    DatabaseName db = argument(name, "name");
    if (!releases.supports(argument(release, "release"))) {
      throw EngineException.withHint(ErrorCode.RELEASE_NOT_SUPPORTED, "release " + release + " is not supported",
          "the supported releases are " + String.join(", ", releases.supported()));
    }
    Installer installer = modules.installer(release);
    String role = "iasql_" + randomHex(6);
    String password = randomHex(24);
    try {
      metadata.insertCreating(db.value(), role, release);
    } catch (RuntimeException e) {
      throw coded("creating database " + db, e);
    }
    Tenancy tenancy = connections.tenancy();
    boolean roleCreated = false;
    boolean databaseCreated = false;
    try (var log = LogContext.put("db", db.value())) {
      try (Connection c = connections.admin("postgres").getConnection()) {
        tenancy.createRoles(c, role, password);
        roleCreated = true;
        try {
          tenancy.createDatabase(c, db.value(), role);
        } catch (DataAccessException e) {
          if ("42P04".equals(e.sqlState())) {
            throw new EngineException(ErrorCode.DATABASE_EXISTS,
                "a PostgreSQL database named \"" + db + "\" already exists", null,
                "choose another name; the engine never takes over a database it did not create", e);
          }
          throw e;
        }
        databaseCreated = true;
        Sql.execFormatted(c, "REVOKE ALL ON DATABASE %I FROM PUBLIC", db.value());
        Sql.execFormatted(c, "GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I", db.value(), role);
      }
      try (Connection admin = connections.dedicatedAdmin(db.value(), new Properties())) {
        tenancy.prepare(admin, role);
        tenancy.handOver(admin, db.value(), role);
      }
      try (Connection c = connections.userPool(db.value(), role).getConnection()) {
        c.setAutoCommit(false);
        installer.install(c, role, modules.catalog(release).platformModules().stream().map(m -> m.name().value())
            .toList(), Call.Progress.NONE, Cancellation.create());
        c.commit();
      }
      metadata.markReady(db.value());
      LOG.info("created database {} for role {}", db, role);
    } catch (SQLException | RuntimeException e) {
      undoCreate(db, role, roleCreated, databaseCreated);
      if (e instanceof EngineException ee) {
        throw ee;
      }
      throw new EngineException(ErrorCode.INTERNAL_ERROR, "creating database " + db + " failed: " + e.getMessage(),
          null, "nothing was left behind", e);
    }
    attachments.attach(db.value(), role);
    // Told once this engine serves it: the others attach it too, to take over should this one stop.
    try {
      metadata.changed(db.value());
    } catch (RuntimeException e) {
      LOG.warn("could not tell the other engines of database {}: {}; they find it within their next compare", db,
          e.getMessage());
    }
    return new CreatedDatabase(db.value(), role, password, cluster.tenantUrl(db.value(), role, password));
  }

  private void undoCreate(DatabaseName db, String role, boolean roleCreated, boolean databaseCreated) {
    connections.forget(db.value());
    try (Connection c = connections.admin("postgres").getConnection()) {
      if (databaseCreated) {
        Sql.execFormatted(c, "DROP DATABASE IF EXISTS %I WITH (FORCE)", db.value());
      }
      if (roleCreated) {
        connections.tenancy().dropRoles(c, role);
      }
    } catch (SQLException | RuntimeException cleanup) {
      LOG.error("could not clean up after a failed create of {}", db, cleanup);
    }
    metadata.delete(db.value());
  }

  /** Drops a user database (ending its sessions) and its roles. */
  void drop(DatabaseName name) {
    DatabaseName db = argument(name, "name");
    try {
      DatabaseRecord record = metadata.find(db.value()).orElseThrow(() -> notFound(db));
      metadata.markDropping(db.value()); // so no engine (re)attaches it while it goes
      attachments.detach(db.value());
      try (Connection c = connections.admin("postgres").getConnection()) {
        Sql.execFormatted(c, "DROP DATABASE IF EXISTS %I WITH (FORCE)", db.value());
        connections.tenancy().dropRoles(c, record.pgUser());
      }
      metadata.delete(db.value());
    } catch (SQLException | RuntimeException e) {
      throw coded("dropping database " + db, e);
    }
    LOG.info("dropped database {}", db);
  }

  /** The databases that are ready (one being created or dropped is not listed). */
  List<DatabaseInfo> list() {
    try {
      return metadata.list().stream()
          .filter(DatabaseRecord::ready)
          .map(r -> new DatabaseInfo(r.name(), r.pgUser(), r.release(), r.upgradeState(), r.createdAt()))
          .toList();
    } catch (RuntimeException e) {
      throw coded("listing databases", e);
    }
  }

  /** The modules a database at this release can install, platform modules at that release. */
  List<ModuleInfo> availableModules(String release) {
    return modules.catalog(release).all().stream()
        .map(m -> new ModuleInfo(m.name().value(), m.platform() ? release : m.version(),
            m.dependencies().stream().map(dep -> dep.value()).toList()))
        .toList();
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
