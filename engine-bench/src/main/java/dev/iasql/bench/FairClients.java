package dev.iasql.bench;

import dev.iasql.testkit.Sql;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.util.PSQLException;

/**
 * The clients of {@link FairLoad}, in a JVM of their own, as a user's clients are: their collections do not pause the
 * engine. Reads the logins from the file named by its first argument (tab-separated url, user, password; the idle
 * database's first), logs every client in, warms the idle one and (unless {@code bench.fair.cold=true}) calls every
 * database until each has been served, prints {@link #STARTED} when the clock starts and {@link #ENDED} when it
 * stops, then the report. Its second argument names a file with one more login (url, user, password, then the
 * libpq conninfo dblink reaches the idle database with): an admin session of the idle database that times {@link
 * #HOP}. Exits with 1 when any call failed.
 */
public final class FairClients {
  static final String STARTED = "fair-load: started";
  static final String ENDED = "fair-load: ended";
  private static final String NO_OP = "SELECT * FROM iasql_modules_list()";
  /** The same connection's plain round trip, timed beside each no-op: what the machine's load alone costs a call. */
  private static final String PLAIN = "SELECT 1";
  /**
   * A dblink round trip from the idle database, timed beside each no-op on a session of its own: the first hop of the
   * bridge's call (the caller's backend to another process and back) with nothing behind it, what the machine's load
   * costs any call that crosses processes.
   */
  private static final String HOP = "SELECT t.x FROM iasql_engine.dblink('fair_probe', 'SELECT 1') AS t(x int)";
  /** The load's start, reported apart: the engine logs into every busy database for its first call then. */
  private static final long STARTUP_NANOS = 5_000_000_000L;
  /**
   * Between two no-op calls of a client in the warm-up: well within the pools' linger (3 s). At 0.5 s, 200 served
   * databases called 400 times a second, which slowed the logins of the others past their calls' 10 s.
   */
  private static final long WARM_PAUSE_MILLIS = 1_000;
  /** Between two no-op calls of the idle client: it samples, it is not a load of its own. */
  private static final long IDLE_PAUSE_MILLIS = 20;

  private FairClients() {}

  public static void main(String[] args) throws Exception {
    int seconds = Integer.getInteger("bench.fair.seconds", 60);
    boolean cold = Boolean.getBoolean("bench.fair.cold");
    boolean sharedAccount = Boolean.getBoolean("bench.fair.sharedAccount");
    long setupMs = Long.getLong("bench.fair.setupMs", 0);
    List<Load.Login> logins = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
      String[] f = line.split("\t", 3);
      logins.add(new Load.Login(f[0], f[1], f[2]));
    }
    int busy = logins.size() - 1;
    Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    List<Long> idle = Collections.synchronizedList(new ArrayList<>());
    List<Long> plain = Collections.synchronizedList(new ArrayList<>());
    List<Long> hops = Collections.synchronizedList(new ArrayList<>());
    /** When each idle call started, in nanoseconds after the load did. */
    List<Long> idleAt = Collections.synchronizedList(new ArrayList<>());
    AtomicLong applies = new AtomicLong();
    AtomicLong syncs = new AtomicLong();
    ExecutorService clients = Executors.newFixedThreadPool(busy + 1, r -> {
      Thread t = new Thread(r, "fair-client");
      t.setDaemon(true);
      return t;
    });
    // Every client logs in before the clock starts: what is timed is calls, not PostgreSQL's logins (201 at once
    // took the idle client's own login 12 s, and its first call on a fresh session 20 s, in a storm that said
    // nothing of the engine). The idle client warms up and keeps its connection, as a tenant at work does.
    List<Connection> open = new ArrayList<>();
    for (Load.Login login : logins) {
      open.add(login.open());
    }
    Connection idleConnection = open.get(0);
    String[] probe = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8).strip().split("\t", 4);
    Connection hopConnection = new Load.Login(probe[0], probe[1], probe[2]).open();
    Sql.rows(hopConnection, "SELECT iasql_engine.dblink_connect('fair_probe', ?)", probe[3]);
    for (int i = 0; i < 20; i++) {
      Sql.rows(idleConnection, NO_OP); // warm: the first calls of a database and of a connection cost more
    }
    String how = cold ? "cold: the engine logs into the busy databases in the load's first seconds"
        : "warm: each busy database called every second until all had been served, as busy tenants' are";
    long idleAlone = quietP99(idleConnection);
    if (!cold) {
      warm(clients, open, failures); // last, the idle database too: the clock starts within the pools' linger
    }
    long[] gcBefore = gcCountAndMillis();
    System.out.println(STARTED);
    System.out.flush();
    long loadStart = System.nanoTime();
    long deadline = loadStart + seconds * 1_000_000_000L;
    List<Future<?>> running = new ArrayList<>();
    // The idle client first: started after 200 busy ones, it began only 5-11 s into the load, its database's pool
    // long closed.
    running.add(clients.submit(() -> {
      try (Connection c = idleConnection; Connection h = hopConnection) {
        while (System.nanoTime() < deadline) {
          long start = System.nanoTime();
          try {
            Sql.rows(c, NO_OP);
            synchronized (idle) {
              idle.add(System.nanoTime() - start);
              idleAt.add(start - loadStart);
            }
            long plainStart = System.nanoTime();
            Sql.rows(c, PLAIN);
            plain.add(System.nanoTime() - plainStart);
            long hopStart = System.nanoTime();
            Sql.rows(h, HOP);
            hops.add(System.nanoTime() - hopStart);
          } catch (SQLException e) {
            failures.computeIfAbsent("idle " + describe(e), k -> new AtomicInteger()).incrementAndGet();
          }
          Thread.sleep(IDLE_PAUSE_MILLIS);
        }
      }
      return null;
    }));
    for (int i = 0; i < busy; i++) {
      Connection c = open.get(i + 1);
      String prefix = "fair-" + Long.toHexString(System.nanoTime() & 0xffffff) + "-" + i + "-";
      running.add(clients.submit(() -> {
        busyClient(c, prefix, deadline, failures, applies, syncs);
        return null;
      }));
    }
    for (Future<?> f : running) {
      f.get(); // each client closes its connection
    }
    System.out.println(ENDED);
    long[] gcAfter = gcCountAndMillis();
    clients.shutdownNow();
    System.out.print("start: " + how + System.lineSeparator());
    System.out.print(report(busy, seconds, sharedAccount, setupMs, idleAlone, idle, idleAt, applies.get(),
        syncs.get(), failures) + plainLine(PLAIN + " on the idle database's connection", plain)
        + plainLine("a dblink round trip from the idle database, on a session of its own", hops) + String.format(Locale.ROOT, "garbage collection in the clients'"
        + " JVM during the load: %d pauses, %d ms in all%n", gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1]));
    System.out.flush();
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  /** Until the deadline: a new group, apply, sync, the group deleted, apply. Counts failures by what they said. */
  private static void busyClient(Connection connection, String prefix, long deadline,
      Map<String, AtomicInteger> failures, AtomicLong applies, AtomicLong syncs) throws SQLException {
    try (Connection c = connection) {
      for (int k = 0; System.nanoTime() < deadline; k++) {
        try {
          Sql.exec(c, "INSERT INTO security_group (description, group_name) VALUES ('fair', ?)", prefix + k);
          Sql.rows(c, CloudLoop.APPLY);
          applies.incrementAndGet();
          Sql.rows(c, CloudLoop.SYNC);
          syncs.incrementAndGet();
          Sql.exec(c, "DELETE FROM security_group WHERE group_name = ?", prefix + k);
          Sql.rows(c, CloudLoop.APPLY);
          applies.incrementAndGet();
        } catch (SQLException e) {
          failures.computeIfAbsent("busy " + describe(e), x -> new AtomicInteger()).incrementAndGet();
        }
      }
    }
  }

  /**
   * A no-op on every connection (the idle one too) at once, and again every second until each has been served
   * once: the engine then has a session open in every busy database when the clock starts, as it has for tenants at
   * work. (Started after the set-up, the timed load began with the engine logging into all of them at once: the
   * engine's start, not its steady state; and one call each was not enough, as the first databases' sessions closed
   * after their linger while the last ones logged in.) Failed calls are counted, as "warm-up", among the failures.
   */
  private static void warm(ExecutorService clients, List<Connection> all, Map<String, AtomicInteger> failures)
      throws Exception {
    CountDownLatch served = new CountDownLatch(all.size());
    AtomicBoolean allServed = new AtomicBoolean();
    List<Future<?>> warming = new ArrayList<>();
    for (Connection c : all) {
      warming.add(clients.submit(() -> {
        boolean once = false;
        while (!allServed.get()) {
          try {
            Sql.rows(c, NO_OP);
            if (!once) {
              once = true;
              served.countDown();
            }
          } catch (SQLException e) {
            failures.computeIfAbsent("warm-up " + describe(e), k -> new AtomicInteger()).incrementAndGet();
          }
          Thread.sleep(WARM_PAUSE_MILLIS);
        }
        return null;
      }));
    }
    if (!served.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException(served.getCount() + " busy databases never served a call in the warm-up");
    }
    allServed.set(true);
    for (Future<?> f : warming) {
      f.get();
    }
  }

  /** The idle database's no-op p99 with nothing else running, in nanoseconds: the baseline. */
  private static long quietP99(Connection c) throws SQLException, InterruptedException {
    long[] l = new long[100];
    for (int i = 0; i < l.length; i++) {
      long start = System.nanoTime();
      Sql.rows(c, NO_OP);
      l[i] = System.nanoTime() - start;
      Thread.sleep(IDLE_PAUSE_MILLIS);
    }
    return (long) (Summary.of(l, 1).p99Ms() * 1_000_000);
  }

  /** One probe's figures, timed after each no-op. */
  private static String plainLine(String what, List<Long> plain) {
    long[] l = plain.stream().mapToLong(Long::longValue).toArray();
    if (l.length == 0) {
      return "";
    }
    Summary s = Summary.of(l, 1);
    return String.format(Locale.ROOT, "%s, after each no-op: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", what,
        s.p50Ms(), s.p99Ms(), s.maxMs());
  }

  private static String report(int busy, int seconds, boolean sharedAccount, long setupMs, long idleAloneNanos,
      List<Long> idle, List<Long> idleAt, long applies, long syncs, Map<String, AtomicInteger> failures) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Fair load: %d busy databases (%s) calling apply and sync for %d s, and one"
        + " idle database calling %s every %d ms%n", busy, sharedAccount ? "all on one account" : "one account each",
        seconds, NO_OP, IDLE_PAUSE_MILLIS));
    sb.append(String.format(Locale.ROOT, "setup: %d ms; %d processors%n", setupMs,
        Runtime.getRuntime().availableProcessors()));
    sb.append(String.format(Locale.ROOT, "idle database alone, before the load: no-op p99 %.1f ms%n",
        idleAloneNanos / 1e6));
    long[] l = idle.stream().mapToLong(Long::longValue).toArray();
    if (l.length == 0) {
      sb.append("idle database under load: no call completed\n");
    } else {
      Summary s = Summary.of(l, 1);
      sb.append(String.format(Locale.ROOT, "idle database under load: %d no-op calls, p50 %.1f ms, p90 %.1f ms,"
          + " p99 %.1f ms, max %.1f ms; goal p99 <= 50 ms: %s%n", s.calls(), s.p50Ms(), s.p90Ms(), s.p99Ms(),
          s.maxMs(), s.p99Ms() <= 50 ? "PASS" : "MISS"));
      int worst = 0;
      for (int i = 1; i < l.length; i++) {
        worst = l[i] > l[worst] ? i : worst;
      }
      // The engine logs into every busy database, and their calls open their bridge lines, in the first seconds.
      long[] steady = java.util.stream.IntStream.range(0, l.length)
          .filter(i -> idleAt.get(i) >= STARTUP_NANOS).mapToLong(i -> l[i]).toArray();
      sb.append(String.format(Locale.ROOT, "  the slowest started %.1f s into the load; after its first %d s: %s%n",
          idleAt.get(worst) / 1e9, STARTUP_NANOS / 1_000_000_000L, steady.length == 0 ? "no call" : String.format(
              Locale.ROOT, "%d calls, p50 %.1f ms, p99 %.1f ms, max %.1f ms", steady.length,
              Summary.of(steady, 1).p50Ms(), Summary.of(steady, 1).p99Ms(), Summary.of(steady, 1).maxMs())));
    }
    sb.append(String.format(Locale.ROOT, "busy databases: %d applies and %d syncs done%n", applies, syncs));
    int failed = failures.values().stream().mapToInt(AtomicInteger::get).sum();
    sb.append(String.format(Locale.ROOT, "failed calls: %d%n", failed));
    new TreeMap<>(failures).forEach((what, n) -> sb.append(String.format(Locale.ROOT, "  %d x %s%n", n.get(), what)));
    return sb.toString();
  }

  /** The error's SQLSTATE, message and detail: the detail must say what failed. */
  private static String describe(SQLException e) {
    String detail = e instanceof PSQLException p && p.getServerErrorMessage() != null
        ? p.getServerErrorMessage().getDetail() : null;
    String message = e instanceof PSQLException p && p.getServerErrorMessage() != null
        ? p.getServerErrorMessage().getMessage() : e.getMessage();
    return e.getSQLState() + " " + message + (detail == null ? " (no DETAIL)"
        : " DETAIL: " + detail.lines().findFirst().orElse("(empty)"));
  }

  /**
   * The collector's pauses so far and their time, every thread stopped (G1's young, mixed and full collections; ZGC's
   * and Shenandoah's pauses). Their concurrent cycles, which run beside the application, are left out.
   */
  static long[] gcCountAndMillis() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc.getName().contains("Cycles") || gc.getName().contains("Concurrent")) {
        continue;
      }
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    return new long[] {count, millis};
  }
}
