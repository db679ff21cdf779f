package dev.iasql.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts zonky's embedded PostgreSQL already hardened. The order matters, because zonky runs {@code initdb -A trust}
 * and then checks readiness by logging in over TCP:
 *
 * <ol>
 *   <li>the admin password is generated before initdb and handed to it with {@code --pwfile} (through zonky's locale
 *       options, the only initdb hook it has), so the role has its password from the first moment;
 *   <li>zonky's data-directory customizer, which runs after initdb and before the postmaster starts, stores the password
 *       file and replaces initdb's trust-everything pg_hba.conf with ours: the server never runs with TCP trust, not even
 *       for the first second;
 *   <li>zonky's readiness probe gets the password through its connect config.
 * </ol>
 *
 * A later start of the same data directory skips initdb, reads the password file back and rewrites pg_hba.conf again.
 */
final class EmbeddedServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);

  private static final String ZONKY_WORKING_DIR = "ot.epg.working-dir";

  /** zonky's default of 10 s is tight on a loaded CI machine; a healthy start takes one or two. */
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;
  private final SocketDirectory socketDirectory;
  private final int port;
  private final String adminPassword;
  private final Map<String, String> settings;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedServer(EmbeddedPostgres postgres, Path dataDirectory, SocketDirectory socketDirectory, int port,
      String adminPassword, Map<String, String> settings) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
    this.socketDirectory = socketDirectory;
    this.port = port;
    this.adminPassword = adminPassword;
    this.settings = Map.copyOf(settings);
  }

  static EmbeddedServer start(EmbeddedOptions options) {
    boolean temporary = options.dataDirectory() == null;
    Path binaries = options.binariesDirectory() != null ? options.binariesDirectory() : PostgresBinaries.defaultRoot();
    PostgresBinaries.Prepared prepared = PostgresBinaries.prepare(binaries);
    Path scratch = PostgresBinaries.scratch(binaries);
    Path dataDirectory;
    try {
      dataDirectory = temporary ? Files.createTempDirectory(scratch, "iasql-pg-") : options.dataDirectory();
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary PostgreSQL data directory", e);
    }
    SocketDirectory socketDirectory = null;
    Path initdbPasswordFile = null;
    OptionalLong pidBeforeStart = OptionalLong.empty();
    try {
      pidBeforeStart = postmasterPid(dataDirectory);
      int port = options.port() != 0 ? options.port() : freeLoopbackPort();
      boolean fresh = temporary || !Files.exists(dataDirectory.resolve("postgresql.conf"));
      String password = fresh ? AdminPassword.generate() : AdminPassword.load(dataDirectory);
      SocketDirectory socket = SocketDirectory.choose(dataDirectory, port);
      socketDirectory = socket;
      Map<String, String> settings = ServerSettings.of(options, socket);

      EmbeddedPostgres.Builder builder = builderScanning(scratch)
          .setOverrideWorkingDirectory(prepared.work().toFile())
          .setPgBinaryResolver(prepared.resolver())
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(temporary)
          .setPort(port)
          .setPGStartupWait(STARTUP_WAIT)
          .setConnectConfig("password", password)
          .setDataDirectoryCustomizer(dir -> prepareDataDirectory(dir, fresh, password, socket));
      settings.forEach(builder::setServerConfig);
      if (fresh) {
        initdbPasswordFile = AdminPassword.initdbPasswordFile(password);
        // become "--pwfile=..." and "--locale=..." on initdb's command line; no password on any command line
        builder.setLocaleConfig("pwfile", initdbPasswordFile.toString());
        builder.setLocaleConfig("locale", "C");
      }
      EmbeddedPostgres postgres = builder.start();
      PostgresBinaries.tidy(prepared.work());
      log.info("embedded PostgreSQL on {}:{}, data directory {}{}, {}", ServerSettings.LISTEN_ADDRESS, port,
          dataDirectory, temporary ? " (temporary)" : "", options.durability());
      return new EmbeddedServer(postgres, dataDirectory, socket, port, password, settings);
    } catch (IOException | RuntimeException e) {
      stopOrphanedPostmaster(dataDirectory, pidBeforeStart);
      cleanUpAfterFailedStart(temporary ? dataDirectory : null, socketDirectory, e);
      throw new IllegalStateException("could not start embedded PostgreSQL in " + dataDirectory + ": " + describe(e), e);
    } finally {
      if (initdbPasswordFile != null) {
        try {
          Files.deleteIfExists(initdbPasswordFile);
        } catch (IOException e) {
          log.warn("could not delete the temporary initdb password file {}", initdbPasswordFile, e);
        }
      }
    }
  }

  /**
   * A zonky builder whose scan directory is {@code scratch}, where our temporary data directories also go. At every
   * start zonky stops ({@code pg_ctl stop}) and deletes each directory there whose owner died more than ten minutes ago
   * (unlocked {@code epg-lock}), so a killed test JVM leaves no postgres running for long. Its default is the shared
   * {@code /tmp/embedded-pg}, where another user could plant a "stale" directory whose {@code postmaster.pid} names one
   * of our processes; inside the private binaries root nobody else can. zonky reads the place only from this system
   * property, when a builder is made, so it is set just for that moment.
   */
  private static synchronized EmbeddedPostgres.Builder builderScanning(Path scratch) {
    String before = System.getProperty(ZONKY_WORKING_DIR);
    System.setProperty(ZONKY_WORKING_DIR, scratch.toString());
    try {
      return EmbeddedPostgres.builder();
    } finally {
      if (before == null) {
        System.clearProperty(ZONKY_WORKING_DIR);
      } else {
        System.setProperty(ZONKY_WORKING_DIR, before);
      }
    }
  }

  /** zonky's lock on the data directory fails without a message inside one JVM and with a terse one across JVMs. */
  private static String describe(Exception e) {
    String message = e.getMessage();
    if (e instanceof OverlappingFileLockException || (message != null && message.startsWith("could not lock"))) {
      return "another embedded server is running on this data directory";
    }
    return message != null ? message : e.toString();
  }

  /** Runs after initdb (when there was one) and before the postmaster starts, on every start. */
  private static void prepareDataDirectory(File dir, boolean fresh, String password, SocketDirectory socket) {
    Path data = dir.toPath();
    try {
      if (fresh) {
        AdminPassword.store(data, password);
      }
      Files.writeString(data.resolve("pg_hba.conf"), ServerSettings.hbaFile(), UTF_8);
      socket.prepare();
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare the PostgreSQL data directory " + data, e);
    }
  }

  /**
   * Picks a free port on the loopback interface. Another process may take it before postgres binds (zonky has the same
   * race); a clash then fails the start instead of joining a foreign server, since that one does not know our password.
   */
  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
      return socket.getLocalPort();
    }
  }

  /**
   * zonky throws without stopping a postmaster that started but never became ready (its shutdown hook would stop it only
   * at JVM exit); stop it now through postmaster.pid so a failed start leaves nothing running. Only a pid that was not
   * in the file before this start is touched: a server another process runs on the same directory is left alone.
   */
  private static void stopOrphanedPostmaster(Path dataDirectory, OptionalLong pidBeforeStart) {
    try {
      OptionalLong pid = postmasterPid(dataDirectory);
      if (pid.isEmpty() || pid.equals(pidBeforeStart)) {
        return;
      }
      Optional<ProcessHandle> postmaster = ProcessHandle.of(pid.getAsLong())
          .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
      if (postmaster.isPresent() && postmaster.get().destroy()) {
        postmaster.get().onExit().get(10, TimeUnit.SECONDS);
      }
    } catch (IOException | RuntimeException | ExecutionException | TimeoutException e) {
      log.warn("could not stop the postmaster of the failed start in {}", dataDirectory, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static OptionalLong postmasterPid(Path dataDirectory) throws IOException {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile, LinkOption.NOFOLLOW_LINKS)) {
      return OptionalLong.empty();
    }
    String firstLine = Files.readAllLines(pidFile, UTF_8).stream().findFirst().orElse("").strip();
    try {
      return OptionalLong.of(Long.parseLong(firstLine));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static void cleanUpAfterFailedStart(Path temporaryDataDirectory, SocketDirectory socket, Exception failure) {
    try {
      if (socket != null) {
        socket.deleteIfTemporary();
      }
      if (temporaryDataDirectory != null && Files.exists(temporaryDataDirectory, LinkOption.NOFOLLOW_LINKS)) {
        try (Stream<Path> files = Files.walk(temporaryDataDirectory)) {
          for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
            Files.deleteIfExists(p);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  int port() {
    return port;
  }

  String adminPassword() {
    return adminPassword;
  }

  Path dataDirectory() {
    return dataDirectory;
  }

  Path socketDirectory() {
    return socketDirectory.path();
  }

  /** The settings the server was started with, for {@link ServerCheck}. */
  Map<String, String> settings() {
    return settings;
  }

  /** Stops the server (pg_ctl stop -m fast, waiting), deletes a temporary data directory and socket directory. */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    try {
      postgres.close();
      socketDirectory.deleteIfTemporary();
    } catch (IOException e) {
      throw new UncheckedIOException("could not stop embedded PostgreSQL in " + dataDirectory, e);
    }
  }
}
