package dev.iasql.server.serve;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.iasql.server.cli.CommandFailure;
import dev.iasql.server.cli.ExitCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL a killed server leaves behind. pg_ctl starts the postmaster in its own session, so when the JVM dies
 * without stopping it (SIGKILL, the OOM killer) it keeps running on the data directory, and the next start would wait a
 * minute for a server it cannot start, then fail with "connection refused". Before starting, such an orphan is stopped
 * with a fast shutdown (active transactions roll back, committed data is kept).
 *
 * <p>A postmaster counts as orphaned only when no live process holds the data directory's start lock ({@code epg-lock},
 * which the embedded server holds for as long as it runs): a server that is starting right now is never touched.
 */
final class OrphanedPostgres {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanedPostgres.class);

  /** The embedded server's lock file (zonky's name); held by a live server's JVM. */
  static final String LOCK_FILE = "epg-lock";

  private static final long STOP_TIMEOUT_SECONDS = 60;

  private OrphanedPostgres() {}

  /** Stops the orphaned postmaster of {@code dataDirectory}, if there is one. */
  static void stopIfAny(Path dataDirectory) {
    Optional<ProcessHandle> postmaster = postmaster(dataDirectory);
    if (postmaster.isEmpty()) {
      return;
    }
    long pid = postmaster.get().pid();
    Path lockFile = dataDirectory.resolve(LOCK_FILE);
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      if (lock == null) {
        throw CommandFailure.of(ExitCode.FAILED, "another process is running a server on data directory "
            + dataDirectory + " (PostgreSQL pid " + pid + ")", "wait for it, or stop it, then start again");
      }
      LOG.warn("PostgreSQL (pid {}) of a server that was killed still runs on {}; stopping it (fast shutdown)", pid,
          dataDirectory);
      stop(postmaster.get());
    } catch (IOException e) {
      throw CommandFailure.of(ExitCode.FAILED, "PostgreSQL (pid " + pid + ") of a killed server still runs on "
          + dataDirectory + ", and it could not be stopped: " + e.getMessage(),
          "stop it with: kill -INT " + pid + ", then start again", e);
    }
  }

  /**
   * SIGINT, PostgreSQL's fast shutdown, sent with kill(1): Java can only send SIGTERM (a smart shutdown, which waits for
   * every client to leave) and pg_ctl refuses to run as root, which is how the embedded server often runs.
   */
  private static void stop(ProcessHandle postmaster) throws IOException {
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid())).redirectErrorStream(true).start();
    try {
      String output = new String(kill.getInputStream().readAllBytes(), UTF_8).strip();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IOException("kill -INT " + postmaster.pid() + " failed: " + output);
      }
      postmaster.onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      LOG.info("stopped the orphaned PostgreSQL (pid {})", postmaster.pid());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping PostgreSQL", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("PostgreSQL did not exit within " + STOP_TIMEOUT_SECONDS + " s of a fast shutdown", e);
    }
  }

  /** The live postgres process named in {@code postmaster.pid} and running on this data directory, if any. */
  static Optional<ProcessHandle> postmaster(Path dataDirectory) {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    List<String> lines;
    try {
      if (!Files.isRegularFile(pidFile)) {
        return Optional.empty();
      }
      lines = Files.readAllLines(pidFile, UTF_8);
    } catch (IOException e) {
      return Optional.empty(); // PostgreSQL itself reports an unreadable pid file
    }
    long pid;
    try {
      pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).strip());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(dataDirectory.toString())).orElse(false));
  }
}
