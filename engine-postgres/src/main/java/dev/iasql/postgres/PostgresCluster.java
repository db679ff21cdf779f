package dev.iasql.postgres;

import dev.iasql.engine.Cluster;
import dev.iasql.engine.PostgresSource;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.ds.common.BaseDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL cluster the engine runs on, and the connection details for everyone who talks to it: the engine (admin
 * data sources), tenants (a URL with their own role) and the function bridge (a conninfo its SECURITY DEFINER function
 * opens with dblink from inside the server).
 *
 * <p>Each way in is one call, handed to {@code Engine.configure().postgres(…)}: {@link #embedded(Path)} (a data
 * directory) or {@link #embedded(EmbeddedOptions)}; {@link #external(String)} (a {@code postgresql://} or JDBC URL);
 * {@link #external(DataSource)} (an admin data source the host already has). Whoever made the cluster closes it, after
 * the engine.
 *
 * <p>{@link #embedded} starts a server on 127.0.0.1 with a generated admin password, scram-sha-256 on TCP and trust
 * only on a private unix socket (see the package documentation). {@link #external} takes a server someone else runs;
 * its own pg_hba.conf is then its administrator's business. Thread-safe; {@link #close()} stops an embedded server.
 */
public final class PostgresCluster implements AutoCloseable, PostgresSource {

  private static final Logger log = LoggerFactory.getLogger(PostgresCluster.class);

  /** Shown in pg_stat_activity for every connection of the engine's data sources. */
  static final String APPLICATION_NAME = "iasql-engine";

  private final String host;
  private final int port;
  private final String adminUser;
  private final String adminPassword;
  /** Null for an external cluster. */
  private final EmbeddedServer embedded;

  private PostgresCluster(String host, int port, String adminUser, String adminPassword, EmbeddedServer embedded) {
    this.host = host;
    this.port = port;
    this.adminUser = adminUser;
    this.adminPassword = adminPassword;
    this.embedded = embedded;
  }

  /**
   * Starts an embedded server (running initdb on first use of its data directory), hardened, and checks that it runs
   * with the settings and pg_hba rules it was given.
   *
   * @throws IllegalStateException if it cannot start or does not come up as configured
   */
  public static PostgresCluster embedded(EmbeddedOptions options) {
    requireNonNull(options, "options is null");
    EmbeddedServer server = EmbeddedServer.start(options);
    PostgresCluster cluster = new PostgresCluster(ServerSettings.LISTEN_ADDRESS, server.port(),
        ServerSettings.ADMIN_USER, server.adminPassword(), server);
    try {
      List<String> differences = ServerCheck.differences(cluster.adminDataSource("postgres"), server.settings());
      if (!differences.isEmpty()) {
        throw new IllegalStateException("embedded PostgreSQL in " + server.dataDirectory()
            + " is not configured as required: " + String.join("; ", differences));
      }
    } catch (SQLException | RuntimeException e) {
      try {
        cluster.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      if (e instanceof IllegalStateException ise) {
        throw ise;
      }
      throw new IllegalStateException("could not check embedded PostgreSQL in " + server.dataDirectory(), e);
    }
    return cluster;
  }

  /**
   * An embedded server whose data lives in {@code dataDirectory} (created on first use, kept afterwards), durable, on
   * a free port of 127.0.0.1: {@code embedded(EmbeddedOptions.persistent(dataDirectory, 0))}.
   */
  public static PostgresCluster embedded(Path dataDirectory) {
    return embedded(EmbeddedOptions.persistent(dataDirectory, 0));
  }

  /**
   * A cluster someone else runs, reached as the user in {@code url} (which must be able to create databases and roles).
   * Accepts {@code postgresql://user:pass@host:port[/db]} (percent-encoded, as libpq) and {@code
   * jdbc:postgresql://host:port/db?user=..&password=..}; the database in the URL is not used. Nothing connects yet.
   *
   * @throws IllegalArgumentException if the URL cannot be used; the message never contains the password
   */
  public static PostgresCluster external(String url) {
    ClusterUrl parsed = ClusterUrl.parse(url);
    log.info("external PostgreSQL {}", parsed);
    return new PostgresCluster(parsed.host(), parsed.port(), parsed.user(), parsed.password(), null);
  }

  /**
   * A cluster someone else runs, reached through an admin data source the host already has: a pgjdbc {@link
   * BaseDataSource} such as {@code PGSimpleDataSource}, or a pool that wraps one (found with {@link
   * DataSource#unwrap}). The engine takes its host, port, user and password and opens its own connections, because it
   * needs one pool per database and hands dblink a conninfo; the data source itself is never used. Nothing connects
   * yet.
   *
   * @throws IllegalArgumentException if it is no pgjdbc data source and wraps none, or does not name one host and a
   *     user; the message never contains the password
   */
  public static PostgresCluster external(DataSource admin) {
    requireNonNull(admin, "admin is null");
    BaseDataSource pg = null;
    try {
      if (admin.isWrapperFor(BaseDataSource.class)) {
        pg = admin.unwrap(BaseDataSource.class);
      }
    } catch (SQLException e) {
      // not unwrappable: refused below, as any other data source the engine cannot read
    }
    if (pg == null) {
      throw new IllegalArgumentException("the engine cannot read host, port and admin login from a "
          + admin.getClass().getName() + ": give it a pgjdbc PGSimpleDataSource (or a pool wrapping one), or"
          + " PostgresCluster.external(url)");
    }
    ClusterUrl parsed = ClusterUrl.of(pg.getServerNames(), pg.getPortNumbers(), pg.getUser(), pg.getPassword());
    log.info("external PostgreSQL {}", parsed);
    return new PostgresCluster(parsed.host(), parsed.port(), parsed.user(), parsed.password(), null);
  }

  /** How an engine reaches this cluster: {@code Engine.configure().postgres(cluster)}. */
  @Override
  public Cluster engineCluster() {
    return new Cluster(host, port, adminUser, adminPassword, this::bridgeConnInfo, this::bridgeConnInfo);
  }

  /** The server's address; {@code 127.0.0.1} for an embedded server. */
  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The superuser the engine works as; {@code postgres} for an embedded server. */
  public String adminUser() {
    return adminUser;
  }

  public String adminPassword() {
    return adminPassword;
  }

  /** {@code jdbc:postgresql://host:port/database}, without credentials. */
  public String jdbcUrl(String database) {
    requireNonNull(database, "database is null");
    return "jdbc:postgresql://" + ConnectionStrings.urlHost(host) + ":" + port + "/"
        + ConnectionStrings.percentEncode(database);
  }

  /** A new, unpooled data source logging in as the admin, with application name {@code iasql-engine}. */
  public DataSource adminDataSource(String database) {
    requireNonNull(database, "database is null");
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {host});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName(database);
    ds.setUser(adminUser);
    ds.setPassword(adminPassword);
    ds.setApplicationName(APPLICATION_NAME);
    return ds;
  }

  /**
   * The libpq conninfo a SECURITY DEFINER function owned by the admin passes to {@code dblink_connect} to reach {@code
   * database} from inside the server. Embedded: through the private socket, where the admin is trusted, so no password
   * is stored anywhere ({@code host=<socket dir> port=<port> dbname=<db> user=<admin>}). External: over TCP with the
   * admin's password. Every value is single-quoted and escaped.
   */
  public String bridgeConnInfo(String database) {
    requireNonNull(database, "database is null");
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("host", embedded != null ? embedded.socketDirectory().toString() : host);
    parameters.put("port", Integer.toString(port));
    parameters.put("dbname", database);
    parameters.put("user", adminUser);
    if (embedded == null) {
      parameters.put("password", adminPassword);
    }
    return ConnectionStrings.conninfo(parameters);
  }

  /**
   * The libpq conninfo a SECURITY DEFINER function owned by a non-superuser role passes to {@code dblink_connect} to
   * reach {@code database} as that role. dblink lets a non-superuser connect only with a password the server asks for,
   * so this goes over TCP (where every login needs one), never through the trusted private socket.
   */
  public String bridgeConnInfo(String database, String user, String password) {
    requireNonNull(database, "database is null");
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("host", host);
    parameters.put("port", Integer.toString(port));
    parameters.put("dbname", database);
    parameters.put("user", user);
    parameters.put("password", password);
    return ConnectionStrings.conninfo(parameters);
  }

  /** {@code postgresql://user:password@host:port/database}, percent-encoded: what a tenant gives psql as is. */
  public String tenantUrl(String database, String user, String password) {
    requireNonNull(database, "database is null");
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
    return "postgresql://" + ConnectionStrings.percentEncode(user) + ":" + ConnectionStrings.percentEncode(password)
        + "@" + ConnectionStrings.urlHost(host) + ":" + port + "/" + ConnectionStrings.percentEncode(database);
  }

  /** An embedded server's data directory; empty for an external cluster. */
  public Optional<Path> dataDirectory() {
    return embedded == null ? Optional.empty() : Optional.of(embedded.dataDirectory());
  }

  /**
   * Stops an embedded server and waits for it (and deletes its data directory if it was temporary); nothing for an
   * external cluster. Idempotent.
   */
  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    }
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "PostgresCluster[" + (embedded != null ? "embedded " : "external ") + adminUser + "@"
        + ConnectionStrings.urlHost(host) + ":" + port + "]";
  }
}
