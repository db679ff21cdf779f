package dev.iasql.server.db;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.iasql.engine.Engine;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.server.cli.CommandFailure;
import dev.iasql.server.cli.ExitCode;
import dev.iasql.server.cli.Location;
import dev.iasql.server.serve.ServerFile;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * An admin session on the metadata database of a running server, calling the engine's admin functions through the SQL
 * bridge. Every argument is a bound parameter. Errors become {@link CommandFailure}s: "not running" ones (nothing
 * listens, no {@code server.properties}, the engine is down) exit with {@link ExitCode#NOT_RUNNING}, the engine's own
 * errors with their SQLSTATE, detail and hint.
 */
final class MetadataClient implements AutoCloseable {
  private static final String APPLICATION_NAME = "iasql-cli";
  private static final String ADMIN_PASSWORD_FILE = "admin-password";
  private static final int CONNECT_TIMEOUT_SECONDS = 10;

  /** The engine is not there to answer the call. */
  private static final Set<String> ENGINE_ABSENT =
      Set.of(ErrorCode.ENGINE_NOT_RUNNING.sqlState(), ErrorCode.ENGINE_STOPPED.sqlState());

  private final Location location;
  private final Connection connection;
  /** {@code jdbc:postgresql://host:port/} of the server as it runs now: what a tenant's URLs start with. */
  private final String jdbcBase;

  private MetadataClient(Location location, Connection connection, String jdbcBase) {
    this.location = location;
    this.connection = connection;
    this.jdbcBase = jdbcBase;
  }

  static MetadataClient open(Location location) {
    Server server = server(location);
    try {
      return new MetadataClient(location, server.dataSource().getConnection(), server.jdbcBase());
    } catch (SQLException e) {
      throw failure(location, e);
    }
  }

  /** Where the server is and how to log in to its metadata database. */
  private record Server(DataSource dataSource, String jdbcBase) {}

  /** A database's URLs without a password (none is stored). */
  record Urls(String pgUser, String psql, String jdbc) {}

  record Created(String name, String pgUser, String pgPassword, String connectionUrl) {
    @Override
    public String toString() {
      return "Created[" + name + ", " + pgUser + "]";
    }
  }

  record Listed(String name, String pgUser, String release, String upgradeState, OffsetDateTime createdAt) {}

  /** Creates a database at the release given, or at the latest when it is null. */
  Created create(String name, @Nullable String release) {
    try (PreparedStatement ps = connection.prepareStatement(
        "SELECT name, pg_user, pg_password, connection_url FROM iasql_connect(?, ?)")) {
      ps.setString(1, name);
      ps.setString(2, release);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw CommandFailure.of(ExitCode.FAILED, "iasql_connect returned no row", "see the server's log");
        }
        return new Created(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
      }
    } catch (SQLException e) {
      throw failure(location, e);
    }
  }

  /** The current URLs of a database, from its login and the server's host and port as they are now. */
  Urls urls(String name) {
    try (PreparedStatement ps = connection.prepareStatement(
        "SELECT pg_user FROM iasql_db_list() WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new CommandFailure(ExitCode.FAILED, ErrorCode.DATABASE_NOT_FOUND.sqlState(),
              "there is no IaSQL database named \"" + name + "\"", null,
              "./iasql db list" + location.optionsForMessages() + " lists them", null);
        }
        String user = rs.getString(1);
        return new Urls(user, psqlUrl(name, user, null), jdbcUrl(name, user, null));
      }
    } catch (SQLException e) {
      throw failure(location, e);
    }
  }

  /** {@code postgresql://user[:password]@host:port/database}, which psql takes as is. */
  String psqlUrl(String database, String user, @Nullable String password) {
    return "postgresql://" + encode(user) + (password == null ? "" : ":" + encode(password)) + "@"
        + jdbcBase.substring("jdbc:postgresql://".length()) + encode(database);
  }

  /** {@code jdbc:postgresql://host:port/database?user=…[&password=…]}, which JDBC drivers and tools take as is. */
  String jdbcUrl(String database, String user, @Nullable String password) {
    return jdbcBase + encode(database) + "?user=" + encode(user)
        + (password == null ? "" : "&password=" + encode(password));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, UTF_8).replace("+", "%20");
  }

  String drop(String name) {
    try (PreparedStatement ps = connection.prepareStatement("SELECT name FROM iasql_disconnect(?)")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : name;
      }
    } catch (SQLException e) {
      throw failure(location, e);
    }
  }

  List<Listed> list() {
    try (PreparedStatement ps = connection.prepareStatement(
            "SELECT name, pg_user, release, upgrade_state, created_at FROM iasql_db_list() ORDER BY name");
        ResultSet rs = ps.executeQuery()) {
      List<Listed> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(new Listed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getObject(5, OffsetDateTime.class)));
      }
      return rows;
    } catch (SQLException e) {
      throw failure(location, e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // nothing was pending on it; the server ends the session anyway
    }
  }

  // ---- finding the server ----

  private static Server server(Location location) {
    if (location instanceof Location.External external) {
      try (PostgresCluster cluster = PostgresCluster.external(external.url())) {
        return new Server(cluster.adminDataSource(Engine.METADATA_DATABASE), cluster.jdbcUrl(""));
      } catch (IllegalArgumentException e) {
        throw CommandFailure.of(ExitCode.USAGE, "--postgres-url: " + e.getMessage(), null, e);
      }
    }
    Location.Embedded embedded = (Location.Embedded) location;
    Path dir = embedded.dataDirectory();
    if (!Files.isDirectory(dir)) {
      throw notRunning(embedded, "no IaSQL server is running on data directory " + dir
          + " (the directory does not exist)", null);
    }
    Optional<ServerFile> file;
    try {
      file = ServerFile.read(dir);
    } catch (IOException e) {
      throw CommandFailure.of(ExitCode.NOT_RUNNING, "cannot read " + ServerFile.path(dir) + ": " + e.getMessage(),
          null, e);
    }
    if (file.isEmpty()) {
      throw notRunning(embedded, "no IaSQL server is running on data directory " + dir + " (it has no "
          + ServerFile.FILE_NAME + ")", null);
    }
    ServerFile server = file.get();
    if (!server.processAlive()) {
      throw notRunning(embedded, "no IaSQL server is running on data directory " + dir + " (" + ServerFile.FILE_NAME
          + " names pid " + server.pid() + ", which is gone: the server was killed)", null);
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {server.host()});
    ds.setPortNumbers(new int[] {server.port()});
    ds.setDatabaseName(Engine.METADATA_DATABASE);
    ds.setUser(server.adminUser());
    ds.setPassword(adminPassword(dir));
    ds.setApplicationName(APPLICATION_NAME);
    ds.setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
    String host = server.host().contains(":") ? "[" + server.host() + "]" : server.host();
    return new Server(ds, "jdbc:postgresql://" + host + ":" + server.port() + "/");
  }

  private static String adminPassword(Path dir) {
    Path file = dir.resolve(ADMIN_PASSWORD_FILE);
    try {
      return Files.readString(file, UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw CommandFailure.of(ExitCode.FAILED, file + " is missing, so the admin password is unknown",
          "the data directory was not created by ./iasql serve", e);
    } catch (AccessDeniedException e) {
      throw CommandFailure.of(ExitCode.FAILED, "cannot read " + file + " (permission denied)",
          "run ./iasql db as the user who runs the server", e);
    } catch (IOException e) {
      throw CommandFailure.of(ExitCode.FAILED, "cannot read " + file + ": " + e.getMessage(), null, e);
    }
  }

  // ---- errors ----

  private static CommandFailure notRunning(Location location, String message, Throwable cause) {
    return CommandFailure.of(ExitCode.NOT_RUNNING, message, "start one with ./iasql serve"
        + location.optionsForMessages() + " and wait for its \"ready\" line", cause);
  }

  static CommandFailure failure(Location location, SQLException e) {
    String state = e.getSQLState() != null ? e.getSQLState() : "";
    String message = e.getMessage();
    String detail = null;
    String hint = null;
    ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
    if (server != null) {
      message = server.getMessage();
      detail = server.getDetail();
      hint = server.getHint();
    }
    if (ENGINE_ABSENT.contains(state)) {
      return new CommandFailure(ExitCode.NOT_RUNNING, state, message, detail,
          "start it with ./iasql serve" + location.optionsForMessages(), e);
    }
    if (state.startsWith("08")) { // connection exception: nothing listens, or the server went away
      if (location instanceof Location.External) {
        return CommandFailure.of(ExitCode.NOT_RUNNING, "cannot reach PostgreSQL: " + message,
            "check --postgres-url, and that PostgreSQL runs there", e);
      }
      return notRunning(location, "no IaSQL server answers: " + message, e);
    }
    if (state.equals("3D000") && message != null && message.contains(Engine.METADATA_DATABASE)) {
      return notRunning(location, "no IaSQL engine has run on this PostgreSQL yet (it has no "
          + Engine.METADATA_DATABASE + " database)", e);
    }
    return new CommandFailure(ExitCode.FAILED, state.isEmpty() ? null : state, message, detail, hint, e);
  }
}
