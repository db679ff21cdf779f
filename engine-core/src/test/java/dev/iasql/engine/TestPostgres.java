package dev.iasql.engine;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One embedded PostgreSQL for this module's tests (the planner's, the guard's and the upgrade's), started on first use and stopped with the JVM; each test gets a
 * database of its own. engine-postgres has the engine's own server, but it depends on this module, so the planner's
 * tests start zonky directly, in a working directory only this user can reach (zonky's default is world-writable)
 * and that outlives the JVM, so the binaries are extracted once per clone, not at every run.
 */
public final class TestPostgres {
  public static final String TENANT = "tenant";
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final List<String> CREATED = new ArrayList<>();
  private static EmbeddedPostgres server;

  private TestPostgres() {}

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        // Kept across runs (zonky extracts its binaries once), under a directory only this user can enter.
        Path root = Files.createDirectories(Path.of("target", "test-postgres")).toAbsolutePath();
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        System.setProperty("ot.epg.working-dir", root.resolve("work").toString());
        long jvm = ProcessHandle.current().pid();
        Path data = root.resolve("data-" + jvm);
        server = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true).start();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
          s.execute("CREATE ROLE " + TENANT + " LOGIN");
        }
        EmbeddedPostgres started = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            started.close();
          } catch (IOException e) {
            // the JVM is ending: the watchdog below stops the server all the same
          }
        }));
        // A JVM can end without its shutdown hooks (PIT halts its minions): a watchdog outside it then stops the
        // server (SIGQUIT: immediate shutdown) and removes its data, so no postgres outlives the tests.
        new ProcessBuilder("sh", "-c", "while kill -0 " + jvm + " 2>/dev/null; do sleep 1; done;"
            + " kill -QUIT \"$(head -n 1 \"$0/postmaster.pid\" 2>/dev/null)\" 2>/dev/null; sleep 1; rm -rf \"$0\"",
            data.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    return server;
  }

  /** A new, empty database, owned by the admin; the tenant may connect. */
  public static String createDatabase() throws SQLException {
    String name = "test_" + DATABASES.incrementAndGet();
    try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    synchronized (CREATED) {
      CREATED.add(name);
    }
    return name;
  }

  /**
   * Drops every database made so far, for a test class's {@code @AfterEach}: a run of thousands of tests (PIT runs
   * them once per mutant) would otherwise fill the disk.
   */
  public static void dropDatabases() throws SQLException {
    synchronized (CREATED) {
      try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        for (String name : CREATED) {
          s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
      }
      CREATED.clear();
    }
  }

  /** The admin, as the engine's operation connection is. */
  public static Connection admin(String database) throws SQLException {
    return DriverManager.getConnection(server().getJdbcUrl("postgres", database));
  }

  /** Admin connections, for what takes a {@link DataSource} (the guard reads the metadata so). */
  public static DataSource dataSource(String database) {
    return server().getDatabase("postgres", database);
  }

  /** The tenant's login: how a user edits rows. */
  public static Connection tenant(String database) throws SQLException {
    return DriverManager.getConnection(server().getJdbcUrl(TENANT, database));
  }
}
