package dev.iasql.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code iasql} in a child JVM, as {@code ./iasql} runs it: {@code java -cp <this test class path>
 * dev.iasql.server.Main ...} with the jar's own logback.xml. Its stdout is collected line by line; its stderr (the log)
 * goes to {@code target/serve-logs/}, and is quoted when a wait fails. Works from a clean clone under {@code mvn
 * verify}: it needs only the test class path, not the shaded jar (which the package phase builds after the tests).
 */
public final class ServerProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final Process process;
  private final Path log;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final Path dataDirectory;

  private ServerProcess(Process process, Path log, Path dataDirectory) {
    this.process = process;
    this.log = log;
    this.dataDirectory = dataDirectory;
    Thread reader = new Thread(this::readStdout, "server-stdout-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code iasql serve --data-dir DIR --port PORT} and returns at once; see {@link #awaitReady()}. */
  public static ServerProcess serve(Path dataDirectory, int port) {
    return start(dataDirectory, "serve", "--data-dir", dataDirectory.toString(), "--port", Integer.toString(port));
  }

  /**
   * {@code iasql serve} against a PostgreSQL the test owns ({@code postgresUrl}, as {@link #adminUrl} gives it), with
   * moto as AWS, once it is ready.
   */
  public static ServerProcess serveOn(Path dataDirectory, String postgresUrl, dev.iasql.testkit.Moto moto)
      throws InterruptedException {
    return start(dataDirectory, Map.of("IASQL_POSTGRES_URL", postgresUrl), "serve", "--aws-endpoint", moto.endpoint())
        .awaitReady();
  }

  /** The admin's {@code postgresql://} URL of a cluster, for {@code --postgres-url}. */
  public static String adminUrl(dev.iasql.postgres.PostgresCluster postgres) {
    return "postgresql://" + java.net.URLEncoder.encode(postgres.adminUser(), UTF_8) + ":"
        + java.net.URLEncoder.encode(postgres.adminPassword(), UTF_8) + "@" + postgres.host() + ":" + postgres.port()
        + "/postgres";
  }

  /** Starts the program with any arguments. */
  public static ServerProcess start(Path dataDirectory, String... args) {
    return start(dataDirectory, Map.of(), args);
  }

  /**
   * Starts the program with any arguments, in this JVM's environment plus {@code environment} (which wins for a
   * variable in both).
   */
  public static ServerProcess start(Path dataDirectory, Map<String, String> environment, String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dlogback.configurationFile=logback.xml",
        "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    command.addAll(List.of(args));
    try {
      Path logs = Files.createDirectories(Path.of("target", "serve-logs"));
      Path log = logs.resolve("server-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + ".log");
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().putAll(environment);
      Process p = builder.start();
      return new ServerProcess(p, log, dataDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void readStdout() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        stdout.add(line);
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  /** Waits for the line starting with {@code ready}; fails with the server's log if it exits or takes too long. */
  public ServerProcess awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (stdout.stream().anyMatch(l -> l.startsWith("ready"))) {
        return this;
      }
      if (!process.isAlive()) {
        process.waitFor();
        fail("the server exited with " + process.exitValue() + " before it was ready\n" + describe());
      }
      Thread.sleep(50);
    }
    fail("the server was not ready within " + READY_TIMEOUT + "\n" + describe());
    return this;
  }

  /** Waits for the process to exit on its own and returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      fail("the process did not exit within " + timeout + "\n" + describe());
    }
    return process.exitValue();
  }

  /** SIGTERM, then waits for the exit code. */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy(); // SIGTERM on Unix
    return awaitExit(timeout);
  }

  /** SIGKILL, as the OOM killer does: the server cannot stop its PostgreSQL. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** The live postgres named in the data directory's postmaster.pid. */
  public Optional<ProcessHandle> postmaster() {
    return postmasterOf(dataDirectory).filter(ProcessHandle::isAlive);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public List<String> stdout() {
    return List.copyOf(stdout);
  }

  public String log() {
    try {
      return Files.readString(log, UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public String describe() {
    return "--- stdout\n" + String.join("\n", stdout) + "\n--- stderr (" + log + ")\n" + log();
  }

  /** Stops a server a failed test left running: SIGTERM, then SIGKILL. See {@link #stopOrphanedPostgres}. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    try {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** Once every server of a data directory is gone: stops the postgres a killed one left running (SIGTERM). */
  public static void stopOrphanedPostgres(Path dataDirectory) {
    postmasterOf(dataDirectory).filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroy);
  }

  private static Optional<ProcessHandle> postmasterOf(Path dataDirectory) {
    try {
      Path pidFile = dataDirectory.resolve("postmaster.pid");
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      return ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile, UTF_8).get(0).strip()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A port free on the loopback interface right now. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
