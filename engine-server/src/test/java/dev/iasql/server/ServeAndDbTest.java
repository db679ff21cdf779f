package dev.iasql.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.server.cli.ExitCode;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iasql serve} as a real process on an embedded PostgreSQL, driven by the {@code db} commands the way a user
 * does: the tenant connects with the printed URL, as its own role. The last test stops the server with SIGTERM and
 * restarts it on the same data directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeAndDbTest {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  private static final String LATEST = ReleaseCatalog.standard().latest();

  @TempDir static Path temp;
  private Path dataDir;
  private int port;
  private ServerProcess server;
  private final List<ServerProcess> started = new ArrayList<>();

  @BeforeAll
  void startServer() throws InterruptedException {
    dataDir = temp.resolve("data");
    port = ServerProcess.freePort();
    server = track(ServerProcess.start(dataDir, "serve", "--data-dir", dataDir.toString(), "--port",
        Integer.toString(port), "--max-connections", "120")).awaitReady();
  }

  @AfterAll
  void stopServers() {
    for (ServerProcess p : started) {
      p.close();
    }
    ServerProcess.stopOrphanedPostgres(dataDir);
  }

  private ServerProcess track(ServerProcess p) {
    started.add(p);
    return p;
  }

  private Cli.Result db(String... args) {
    List<String> all = new ArrayList<>(List.of("db"));
    all.addAll(List.of(args));
    all.addAll(List.of("--data-dir", dataDir.toString()));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  @Order(1)
  void theReadyLineSaysHowToConnectButNeverShowsThePassword() throws Exception {
    String password = Files.readString(dataDir.resolve("admin-password"), UTF_8).strip();
    String output = String.join("\n", server.stdout());
    assertThat(server.stdout().get(0)).startsWith("ready").contains("127.0.0.1:" + port);
    assertThat(output).contains("psql", "-p " + port, dataDir.resolve("admin-password").toString())
        .doesNotContain(password);
    assertThat(server.log()).doesNotContain(password);

    Properties p = new Properties();
    try (var in = Files.newBufferedReader(dataDir.resolve("server.properties"), UTF_8)) {
      p.load(in);
    }
    assertThat(p.getProperty("pid")).isEqualTo(Long.toString(server.pid()));
    assertThat(p.getProperty("port")).isEqualTo(Integer.toString(port));
    assertThat(p.stringPropertyNames()).noneMatch(k -> k.contains("password"));
  }

  @Test
  @Order(2)
  void createGivesAUrlTheTenantConnectsWithThenListAndDrop() throws Exception {
    Cli.Result created = db("create", "alpha");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.out()).contains("pg_user:", "pg_password:", "shown this once");
    String url = created.lastLine();
    assertThat(url).startsWith("postgresql://").endsWith(":" + port + "/alpha");
    String pgUser = line(created, "pg_user:");
    assertThat(server.log()).as("the tenant's password is shown once, and never logged")
        .doesNotContain(line(created, "pg_password:"));

    try (Connection tenant = connect(url); Statement s = tenant.createStatement()) {
      assertThat(query(s, "SELECT current_user")).containsExactly(pgUser);
      assertThat(query(s, "SELECT module_name FROM iasql_modules_list()")).contains("aws_vpc");
      assertThat(query(s, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user")).containsExactly("false");
      assertThat(query(s, "SHOW max_connections")).as("--max-connections").containsExactly("120");
    }
    try (Connection tenant = DriverManager.getConnection(line(created, "jdbc_url:"));
        Statement s = tenant.createStatement()) {
      assertThat(query(s, "SELECT current_user")).as("the JDBC form works as is").containsExactly(pgUser);
    }

    Cli.Result listed = db("list");
    assertThat(listed.exitCode()).as(listed.toString()).isZero();
    assertThat(listed.outLines().get(0)).contains("name", "pg_user", "release", "upgrade_state", "created_at");
    assertThat(listed.out()).containsPattern("(?m)^ alpha +\\| " + pgUser + " +\\| " + Pattern.quote(LATEST));

    Cli.Result dropped = db("drop", "alpha");
    assertThat(dropped.exitCode()).as(dropped.toString()).isZero();
    assertThat(dropped.out()).contains("dropped IaSQL database alpha");
    assertThat(db("list").out()).doesNotContain("alpha");
    assertThatThrownBy(() -> connect(url).close()).isInstanceOf(SQLException.class);
  }

  @Test
  @Order(3)
  void anInvalidNameIsRefusedWithItsSqlstate() {
    Cli.Result r = db("create", "Bad-Name");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(r.err()).contains("ERROR:  IQ301: \"Bad-Name\" cannot name a database", "HINT:  ");
    assertThat(r.out()).isEmpty();
  }

  @Test
  @Order(4)
  void aTakenNameAndAMissingDatabaseAreRefusedWithTheirSqlstates() {
    assertThat(db("create", "beta").exitCode()).isZero();
    Cli.Result again = db("create", "beta");
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(again.err()).contains("IQ302", "HINT:", "./iasql db url beta");
    Cli.Result urlOnly = db("create", "beta", "--url-only");
    assertThat(urlOnly.exitCode()).as("url=$(… --url-only) && psql \"$url\" stops here").isEqualTo(ExitCode.FAILED);
    assertThat(urlOnly.out()).as("nothing for psql to misread").isEmpty();
    Cli.Result missing = db("drop", "nope");
    assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(missing.err()).contains("IQ303", "nope");
  }

  @Test
  @Order(4)
  void aDatabaseCanBeCreatedAtAnOlderReleaseAndUpgradedFromPsql() throws Exception {
    Cli.Result created = db("create", "pinned", "--release", "0.0.18");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(db("list").out()).containsPattern("(?m)^ pinned +\\| \\S+ +\\| 0\\.0\\.18");
    try (Connection tenant = connect(created.lastLine()); Statement s = tenant.createStatement()) {
      assertThat(query(s, "SELECT * FROM iasql_version()")).containsExactly("0.0.18");
      assertThat(query(s, "SELECT iasql_upgrade()")).singleElement().asString().contains("to " + LATEST);
      assertThat(query(s, "SELECT * FROM iasql_version()")).containsExactly(LATEST);
    }
    assertThat(db("list").out()).containsPattern("(?m)^ pinned +\\| \\S+ +\\| " + Pattern.quote(LATEST));
    Cli.Result unknown = db("create", "never", "--release", "9.9.9");
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(unknown.err()).contains("IQ102", "9.9.9",
        String.join(", ", ReleaseCatalog.standard().known()));
  }

  @Test
  @Order(5)
  void aSecondServerOnTheSameDataDirectoryIsRefused() throws InterruptedException {
    ServerProcess second = track(ServerProcess.serve(dataDir, ServerProcess.freePort()));
    assertThat(second.awaitExit(Duration.ofSeconds(60))).as(second.describe()).isEqualTo(ExitCode.FAILED);
    assertThat(second.log()).contains("already running", "pid " + server.pid());
    assertThat(server.isAlive()).isTrue();
    assertThat(db("list").exitCode()).isZero();
  }

  @Test
  @Order(6)
  void sigtermStopsCleanlyAndARestartKeepsTheDatabases() throws Exception {
    Cli.Result created = db("create", "durable");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    String url = created.lastLine();
    List<String> installed;
    try (Connection tenant = connect(url); Statement s = tenant.createStatement()) {
      installed = query(s, "SELECT module_name || '@' || module_version FROM iasql_modules_installed()");
    }
    assertThat(installed).isNotEmpty();

    assertThat(server.terminate(STOP_TIMEOUT)).as(server.describe()).isZero();
    assertThat(dataDir.resolve("server.properties")).doesNotExist();
    assertThat(server.log()).contains("SIGTERM", "engine stopped").doesNotContain("ERROR");
    Cli.Result down = db("create", "late");
    assertThat(down.exitCode()).as(down.toString()).isEqualTo(ExitCode.NOT_RUNNING);
    assertThat(down.err()).contains("no IaSQL server is running", "./iasql serve");

    // As with --port 0, the restarted server is on another port: db url gives the URL as it is now.
    int otherPort = ServerProcess.freePort();
    server = track(ServerProcess.serve(dataDir, otherPort)).awaitReady();
    assertThat(db("list").out()).contains("durable", "beta");
    Cli.Result current = db("url", "durable");
    assertThat(current.exitCode()).as(current.toString()).isZero();
    String pgUser = line(created, "pg_user:");
    String password = line(created, "pg_password:");
    assertThat(current.lastLine()).isEqualTo("postgresql://" + pgUser + "@127.0.0.1:" + otherPort + "/durable");
    assertThat(line(current, "jdbc_url:")).isEqualTo("jdbc:postgresql://127.0.0.1:" + otherPort + "/durable?user="
        + pgUser);
    assertThat(current.out()).as("no password is stored, so none is shown").doesNotContain(password);
    url = current.lastLine().replace(pgUser + "@", pgUser + ":" + password + "@");
    assertThat(db("url", "nope").err()).contains("IQ303", "nope", "./iasql db list");
    try (Connection tenant = connect(url); Statement s = tenant.createStatement()) {
      assertThat(query(s, "SELECT module_name || '@' || module_version FROM iasql_modules_installed()"))
          .isEqualTo(installed);
      assertThat(query(s, "SELECT module_name FROM iasql_modules_list()")).contains("aws_vpc");
    }
    assertThat(server.terminate(STOP_TIMEOUT)).as(server.describe()).isZero();
    assertThat(dataDir.resolve("server.properties")).doesNotExist();
  }

  @Test
  @Order(7)
  void aRestartAfterSigkillStopsThePostgresTheKilledServerLeftRunning() throws Exception {
    server = track(ServerProcess.serve(dataDir, port)).awaitReady();
    server.kill();
    ProcessHandle orphan = server.postmaster().orElseThrow(() -> new AssertionError("no orphaned postgres\n"
        + server.describe()));
    Cli.Result down = db("list");
    assertThat(down.exitCode()).as(down.toString()).isEqualTo(ExitCode.NOT_RUNNING);
    assertThat(down.err()).contains("pid " + server.pid(), "gone", "./iasql serve");

    server = track(ServerProcess.serve(dataDir, port)).awaitReady(); // the orphan still holds the port until stopped
    assertThat(orphan.isAlive()).isFalse();
    assertThat(server.log()).contains("of a server that was killed still runs", "stopped the orphaned PostgreSQL");
    assertThat(db("list").out()).contains("durable", "beta");
    assertThat(server.terminate(STOP_TIMEOUT)).as(server.describe()).isZero();
  }

  static String line(Cli.Result r, String prefix) {
    return r.outLines().stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow()
        .substring(prefix.length()).strip();
  }

  /** Opens the URL {@code db create} printed, as psql would: user and password from it, nothing else. */
  static Connection connect(String url) throws SQLException {
    URI uri = URI.create(url);
    String[] userInfo = uri.getRawUserInfo().split(":", 2);
    Properties props = new Properties();
    props.setProperty("user", URLDecoder.decode(userInfo[0], UTF_8));
    props.setProperty("password", URLDecoder.decode(userInfo[1], UTF_8));
    return DriverManager.getConnection(
        "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getRawPath(), props);
  }

  private static List<String> query(Statement s, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }
}
