package dev.iasql.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs PostgreSQL's {@code pgbench} (libpq, as a client application would call us) with one SQL statement as its
 * script, and reads the latency of every transaction from its per-transaction log ({@code -l}).
 */
final class Pgbench {
  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\((?:without initial connection time|excluding connections establishing)\\)");

  private final Path executable;

  Pgbench(Path executable) {
    this.executable = executable;
  }

  /**
   * The {@code pgbench} to use: {@code explicit} if given, else the first on {@code PATH}, else the newest under
   * Debian's {@code /usr/lib/postgresql/<major>/bin}.
   */
  static Pgbench find(Optional<String> explicit) {
    if (explicit.isPresent()) {
      return new Pgbench(Path.of(explicit.get()));
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator, -1)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "pgbench");
      if (Files.isExecutable(p)) {
        return new Pgbench(p);
      }
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> majors = Files.list(debian)) {
        Optional<Path> newest = majors.map(m -> m.resolve("bin/pgbench")).filter(Files::isExecutable)
            .max((a, b) -> Integer.compare(major(a), major(b)));
        if (newest.isPresent()) {
          return new Pgbench(newest.get());
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot list " + debian + ": " + e.getMessage(), e);
      }
    }
    throw new IllegalStateException("pgbench not found on PATH nor under /usr/lib/postgresql/*/bin: run"
        + " .ci/install-postgres (Debian's postgresql-15), or name it with -Dbench.pgbench=/path/to/pgbench");
  }

  private static int major(Path pgbench) {
    try {
      return Integer.parseInt(pgbench.getParent().getParent().getFileName().toString());
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** Where to connect and as whom; the password goes to pgbench in its environment, never on its command line. */
  record Target(String host, int port, String database, String user, String password) {
    @Override
    public String toString() {
      return user + "@" + host + ":" + port + "/" + database;
    }
  }

  /** The outcome of one run: every transaction's latency, and pgbench's own throughput figure. */
  record Result(long[] latencyNanos, double callsPerSecond) {}

  /** Runs {@code sql} with {@code clients} clients (one thread each), {@code transactions} each. */
  Result run(Target target, String sql, int clients, int transactions, Path workDir)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Path script = workDir.resolve("script.sql");
    Files.writeString(script, sql + ";\n", StandardCharsets.UTF_8);
    String prefix = workDir.resolve("log").toString();
    try (Stream<Path> old = Files.list(workDir)) {
      for (Path p : old.filter(p -> p.getFileName().toString().startsWith("log.")).toList()) {
        Files.delete(p);
      }
    }
    List<String> command = List.of(executable.toString(), "-n", "-h", target.host(), "-p",
        Integer.toString(target.port()), "-U", target.user(), "-c", Integer.toString(clients), "-j",
        Integer.toString(clients), "-t", Integer.toString(transactions), "-f", script.toString(), "-l",
        "--log-prefix=" + prefix, target.database());
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", target.password());
    pb.environment().put("PGAPPNAME", "iasql-pgbench");
    Process process = pb.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("pgbench did not finish in 10 minutes");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("pgbench failed (exit " + process.exitValue() + ") on " + target + ":\n"
          + output);
    }
    List<Long> latencies = new ArrayList<>();
    try (Stream<Path> logs = Files.list(workDir)) {
      for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("log.")).sorted().toList()) {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
          latencies.add(latencyNanos(line));
        }
      }
    }
    if (latencies.size() != (long) clients * transactions) {
      throw new IllegalStateException("pgbench logged " + latencies.size() + " transactions, not "
          + clients * transactions + ":\n" + output);
    }
    return new Result(latencies.stream().mapToLong(Long::longValue).toArray(), callsPerSecond(output));
  }

  /**
   * The latency of one line of pgbench's transaction log, {@code client_id transaction_no time script_no time_epoch
   * time_us}, where {@code time} is the transaction's latency in microseconds.
   */
  static long latencyNanos(String logLine) {
    String[] fields = logLine.trim().split("\\s+");
    if (fields.length < 6) {
      throw new IllegalArgumentException("not a pgbench transaction log line: \"" + logLine + "\"");
    }
    return TimeUnit.MICROSECONDS.toNanos(Long.parseLong(fields[2]));
  }

  /** The {@code tps = …} figure pgbench prints, connection time left out. */
  static double callsPerSecond(String output) {
    Matcher m = TPS.matcher(output);
    if (!m.find()) {
      throw new IllegalArgumentException("no tps line in pgbench's output:\n" + output);
    }
    return Double.parseDouble(m.group(1));
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "pgbench at %s", executable);
  }
}
