package dev.iasql.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iasql.postgres.EmbeddedOptions;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.Moto;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's embedding example, run as a host would run it: built against the BOM and engine-embedded only (see
 * this module's pom), on embedded PostgreSQL and moto.
 */
class EmbeddedHostTest {
  private static final int CYCLES = 20;
  /**
   * Heap after GC may grow this much over the cycles without counting as a leak: caches that fill once (jOOQ's, the
   * JIT's, the SDK's metadata) settle within the warm-up run; 50 cycles grew it by 0.2-0.3 MB in every clean-clone run.
   * An engine left reachable per cycle (its pools, catalogs, listeners) holds more than 200 KB: over this in 20.
   */
  private static final long HEAP_SLACK_BYTES = 4L << 20;

  private static Moto.Keys keys;

  @BeforeAll
  static void moto() {
    keys = Moto.start().account(); // sets aws.endpointUrl, which the SDK reads as AWS_ENDPOINT_URL
  }

  @Test
  void appliesASecurityGroupOnEmbeddedPostgresOfTheBom(@TempDir Path dir) throws Exception {
    try (PostgresCluster postgres = PostgresCluster.embedded(dir.resolve("data"))) {
      String groupId = EmbeddedHost.run(postgres, keys.accessKeyId(), keys.secretAccessKey());

      assertTrue(groupId != null && groupId.startsWith("sg-"), "cloud id written back: " + groupId);
      try (Connection admin = postgres.adminDataSource("postgres").getConnection();
          Statement s = admin.createStatement();
          ResultSet r = s.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
        r.next();
        assertEquals(17, r.getInt(1), "the BOM pins the PostgreSQL binaries (zonky's own default is 14)");
      }
    }
  }

  /**
   * Start and stop the engine 20 times in one JVM, each time doing the whole example: threads (the AWS SDK's
   * included), file descriptors, PostgreSQL sessions and heap end where they started. The first run is a warm-up:
   * what lives as long as the JVM (pgjdbc's cleaner thread, the AWS SDK's shared HTTP transport and its idle-connection
   * reaper, loaded classes) starts there.
   */
  @Test
  void startStopCyclesLeaveNothingBehind() throws Exception {
    // Durability.FAST (no fsync): CREATE and DROP DATABASE cost seconds each with it, and it has nothing to leak.
    try (PostgresCluster postgres = PostgresCluster.embedded(EmbeddedOptions.forTests());
        Connection checker = postgres.adminDataSource("postgres").getConnection()) {
      EmbeddedHost.run(postgres, keys.accessKeyId(), keys.secretAccessKey());
      Usage before = Usage.settled(checker, null);

      for (int i = 0; i < CYCLES; i++) {
        String groupId = EmbeddedHost.run(postgres, keys.accessKeyId(), keys.secretAccessKey());
        assertTrue(groupId != null && groupId.startsWith("sg-"), "cycle " + i + ": " + groupId);
      }
      Usage after = Usage.settled(checker, before);

      List<String> newThreads = new ArrayList<>(after.threads());
      before.threads().forEach(newThreads::remove);
      assertTrue(after.threads().size() <= before.threads().size(), "threads left running: " + newThreads);
      assertTrue(after.fds() <= before.fds(), "open file descriptors: " + before.fds() + " -> " + after.fds());
      assertTrue(after.backends().size() <= before.backends().size(),
          "PostgreSQL sessions: " + before.backends() + " -> " + after.backends());
      assertTrue(after.heap() <= before.heap() + HEAP_SLACK_BYTES,
          "heap after GC: " + before.heap() / 1024 + " KiB -> " + after.heap() / 1024 + " KiB");
      System.out.printf("after %d cycles: threads %d -> %d, fds %d -> %d, sessions %d -> %d, heap %d -> %d KiB%n",
          CYCLES, before.threads().size(), after.threads().size(), before.fds(), after.fds(),
          before.backends().size(), after.backends().size(), before.heap() / 1024, after.heap() / 1024);
    }
  }

  /** What a host process holds: thread names, open file descriptors, sessions on the cluster, heap after GC. */
  private record Usage(List<String> threads, long fds, List<String> backends, long heap) {

    /**
     * Threads, descriptors and sessions end asynchronously after close() returns (a pool's housekeeper, a backend
     * process): read again, for at most 30 s, until they are no more than {@code floor}'s or, without a floor, until
     * two readings half a second apart agree; return the last.
     */
    static Usage settled(Connection checker, Usage floor) throws Exception {
      Usage previous = null;
      Usage now = take(checker);
      for (int i = 0; i < 60; i++) {
        if (floor != null ? now.within(floor) : previous != null && now.within(previous) && previous.within(now)) {
          break;
        }
        Thread.sleep(500);
        previous = now;
        now = take(checker);
      }
      return now;
    }

    boolean within(Usage floor) {
      return threads.size() <= floor.threads.size() && fds <= floor.fds && backends.size() <= floor.backends.size();
    }

    static Usage take(Connection checker) throws SQLException, IOException {
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      for (int i = 0; i < 3; i++) {
        memory.gc();
      }
      List<String> threads = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
          .map(Thread::getName).sorted().toList();
      long fds;
      try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
        fds = open.count();
      }
      List<String> backends = new ArrayList<>();
      try (Statement s = checker.createStatement();
          ResultSet r = s.executeQuery("SELECT coalesce(usename, '') || '@' || coalesce(datname, '') || ' '"
              + " || coalesce(application_name, '') FROM pg_stat_activity WHERE backend_type = 'client backend'"
              + " AND pid <> pg_backend_pid() ORDER BY 1")) {
        while (r.next()) {
          backends.add(r.getString(1));
        }
      }
      return new Usage(threads, fds, backends, memory.getHeapMemoryUsage().getUsed());
    }
  }
}
