package dev.iasql.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Runs one query from N callers, each on its own connection, and times every single call. */
final class Load {
  private Load() {}

  /** How a caller logs in. */
  record Login(String url, String user, String password) {
    Connection open() throws SQLException {
      Properties p = new Properties();
      p.setProperty("user", user);
      p.setProperty("password", password);
      p.setProperty("ApplicationName", "iasql-bench");
      return DriverManager.getConnection(url, p);
    }

    @Override
    public String toString() {
      return "Login[" + url + ", " + user + "]";
    }
  }

  /**
   * The timings of one measured run. {@code startNanos[c][i]} and {@code endNanos[c][i]} are the {@link
   * System#nanoTime()} at which call {@code i} of caller {@code c} started and ended (all its rows read); {@code
   * anchorNanos} was taken together with {@code anchorEpochMicros}, the wall clock in microseconds since the epoch.
   */
  static final class Run {
    private final long[][] startNanos;
    private final long[][] endNanos;
    private final long anchorNanos;
    private final long anchorEpochMicros;
    private final CpuMeter.Usage cpu;

    Run(long[][] startNanos, long[][] endNanos, long anchorNanos, long anchorEpochMicros, CpuMeter.Usage cpu) {
      this.startNanos = startNanos;
      this.endNanos = endNanos;
      this.anchorNanos = anchorNanos;
      this.anchorEpochMicros = anchorEpochMicros;
      this.cpu = cpu;
    }

    /** CPU spent while the callers measured. */
    CpuMeter.Usage cpu() {
      return cpu;
    }

    /** When each call of caller {@code c} started, in order. */
    long[] startNanos(int c) {
      return startNanos[c].clone();
    }

    /** When each call of caller {@code c} ended, in order. */
    long[] endNanos(int c) {
      return endNanos[c].clone();
    }

    long firstStartNanos() {
      long first = Long.MAX_VALUE;
      for (long[] s : startNanos) {
        first = Math.min(first, s[0]);
      }
      return first;
    }

    long[] latencies() {
      int n = 0;
      for (long[] s : startNanos) {
        n += s.length;
      }
      long[] out = new long[n];
      int k = 0;
      for (int c = 0; c < startNanos.length; c++) {
        for (int i = 0; i < startNanos[c].length; i++) {
          out[k++] = endNanos[c][i] - startNanos[c][i];
        }
      }
      return out;
    }

    long wallNanos() {
      long last = Long.MIN_VALUE;
      for (long[] e : endNanos) {
        last = Math.max(last, e[e.length - 1]);
      }
      return last - firstStartNanos();
    }

    Summary summary() {
      return Summary.of(latencies(), wallNanos());
    }

    /** A {@link System#nanoTime()} of this run as microseconds since the epoch (PostgreSQL's clock on this host). */
    long epochMicros(long nanos) {
      return anchorEpochMicros + Math.floorDiv(nanos - anchorNanos, 1000L);
    }
  }

  /**
   * Opens {@code callers} connections, warms them up with {@code warmupCalls} calls in all, then has every caller make
   * {@code calls / callers} calls at once, as fast as it can; {@code meter} (may be null) measures the CPU spent meanwhile.
   */
  static Run run(Login login, String sql, int callers, int warmupCalls, int calls, CpuMeter meter)
      throws SQLException, InterruptedException {
    if (callers < 1 || calls < callers) {
      throw new IllegalArgumentException("need at least one caller and one call per caller");
    }
    int perCaller = calls / callers;
    int warmupPerCaller = (warmupCalls + callers - 1) / callers;
    List<Connection> connections = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(callers, r -> {
      Thread t = new Thread(r, "bench-caller");
      t.setDaemon(true);
      return t;
    });
    try {
      for (int c = 0; c < callers; c++) {
        connections.add(login.open());
      }
      AtomicReference<CpuMeter.Sample> before = new AtomicReference<>();
      AtomicLong callerCpu = new AtomicLong();
      CyclicBarrier warmedUp = new CyclicBarrier(callers, () -> {
        if (meter != null) {
          before.set(meter.sample());
        }
      });
      long[][] starts = new long[callers][perCaller];
      long[][] ends = new long[callers][perCaller];
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        Connection connection = connections.get(c);
        long[] s = starts[c];
        long[] e = ends[c];
        futures.add(threads.submit(() -> {
          callerCpu.addAndGet(caller(connection, sql, warmupPerCaller, warmedUp, s, e));
          return null;
        }));
      }
      long anchorNanos = System.nanoTime();
      long anchorEpochMicros = epochMicrosNow();
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof SQLException sql2) {
            throw sql2;
          }
          throw new IllegalStateException("a caller failed: " + cause, cause);
        }
      }
      CpuMeter.Usage cpu = meter == null ? CpuMeter.Usage.UNKNOWN
          : meter.usage(before.get(), meter.sample(), callers * perCaller, callerCpu.get());
      return new Run(starts, ends, anchorNanos, anchorEpochMicros, cpu);
    } finally {
      threads.shutdownNow();
      for (Connection c : connections) {
        c.close();
      }
    }
  }

  /** Warms up, waits for the others, makes its calls; returns the CPU time this thread spent on them. */
  private static long caller(Connection connection, String sql, int warmup, CyclicBarrier warmedUp, long[] starts,
      long[] ends) throws SQLException, InterruptedException, BrokenBarrierException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (int i = 0; i < warmup; i++) {
        call(ps);
      }
      warmedUp.await();
      long cpu = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < starts.length; i++) {
        starts[i] = System.nanoTime();
        call(ps);
        ends[i] = System.nanoTime();
      }
      return threads.getCurrentThreadCpuTime() - cpu;
    }
  }

  /** One call, reading every column of every row, as a client would. */
  private static void call(PreparedStatement ps) throws SQLException {
    int rows = 0;
    try (ResultSet rs = ps.executeQuery()) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int col = 1; col <= columns; col++) {
          rs.getString(col);
        }
        rows++;
      }
    }
    if (rows == 0) {
      throw new IllegalStateException("the call returned no rows");
    }
  }

  static long epochMicrosNow() {
    Instant now = Instant.now();
    return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1000L);
  }
}
