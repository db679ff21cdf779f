package dev.iasql.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A cluster of Debian's own PostgreSQL 15 ({@code /usr/lib/postgresql/15/bin}, package {@code postgresql-15}, which
 * {@code .ci/install-postgres} installs), started by a test in a temporary directory on a free port of 127.0.0.1,
 * with the pg_hba rules the test gives: the external cluster a user points {@code --postgres-url} at. PostgreSQL
 * refuses to run as root, so as root the server runs as the {@code postgres} system user the package creates.
 */
final class DebianPostgres implements AutoCloseable {
  static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

  private final Path dir;
  private final Path data;
  private final int port;

  private DebianPostgres(Path dir, int port) {
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
  }

  /**
   * initdb (superuser {@code postgres}, password {@code adminPassword}), then starts it with {@code hba} as its
   * pg_hba.conf.
   *
   * @throws IllegalStateException if Debian's PostgreSQL 15 is not installed, saying how to install it
   */
  static DebianPostgres start(String adminPassword, List<String> hba) throws Exception {
    if (!Files.isExecutable(BIN.resolve("initdb")) || !Files.isExecutable(BIN.resolve("pg_ctl"))) {
      throw new IllegalStateException("Debian's PostgreSQL 15 server is not installed (no " + BIN.resolve("initdb")
          + "): run .ci/install-postgres (as root: apt-get install postgresql-15)");
    }
    Path dir = Files.createTempDirectory("iasql-debian-pg");
    DebianPostgres pg = new DebianPostgres(dir, ServerProcess.freePort());
    try {
      Path pwfile = dir.resolve("pwfile");
      Files.writeString(pwfile, adminPassword + "\n", UTF_8);
      pg.giveAway(dir);
      pg.giveAway(pwfile);
      pg.run(BIN.resolve("initdb").toString(), "-D", pg.data.toString(), "-U", "postgres", "--pwfile",
          pwfile.toString(), "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8");
      pg.writeHba(hba);
      pg.run(BIN.resolve("pg_ctl").toString(), "-D", pg.data.toString(), "-l", dir.resolve("log").toString(), "-w",
          "-o", "-p " + pg.port + " -c listen_addresses=127.0.0.1 -k " + dir, "start");
      return pg;
    } catch (Exception | Error e) {
      pg.close();
      throw e;
    }
  }

  int port() {
    return port;
  }

  /** Replaces pg_hba.conf and reloads it. */
  void hba(List<String> lines) throws Exception {
    writeHba(lines);
    run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "reload");
    Thread.sleep(300); // the postmaster rereads it on SIGHUP, asynchronously
  }

  /** A JDBC session as the superuser (pg_hba must let it in with this password). */
  Connection admin(String password, String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("password", password);
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, p);
  }

  private void writeHba(List<String> lines) throws IOException {
    Files.writeString(data.resolve("pg_hba.conf"), String.join("\n", lines) + "\n", UTF_8);
  }

  private boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  private void giveAway(Path path) throws IOException {
    if (root()) {
      UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
      Files.setOwner(path, users.lookupPrincipalByName("postgres"));
    }
  }

  private void run(String... command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (root()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(List.of(command));
    Path out = Files.createTempFile("iasql-debian-pg", ".out");
    try {
      Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", full) + " did not finish within 120 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", full) + " failed (exit " + p.exitValue() + "):\n"
            + Files.readString(out, UTF_8) + logTail());
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private String logTail() {
    try {
      Path log = dir.resolve("log");
      return Files.exists(log) ? "\n--- server log\n" + Files.readString(log, UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Stops the server (fast: sessions are ended) and deletes its directory. */
  @Override
  public void close() throws Exception {
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
      }
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> {
          try {
            Files.deleteIfExists(p);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
    }
  }
}
