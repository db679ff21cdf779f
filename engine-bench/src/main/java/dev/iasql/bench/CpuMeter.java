package dev.iasql.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CPU time spent by PostgreSQL (the postmaster, its live children and the children it reaped), by this JVM (engine and
 * callers), and by the whole machine, read from Linux's {@code /proc}. Best effort: elsewhere every figure is NaN.
 * PostgreSQL's figures have the kernel's tick resolution (10 ms), fine over runs of seconds.
 */
final class CpuMeter {
  private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux
  private final long postmasterPid;

  /** A point in time; differences of two samples are what counts. */
  record Sample(long postgresNanos, long jvmNanos, long machineBusyNanos, long machineAllNanos) {}

  /** CPU spent during a run, per call and in all. */
  record Usage(double postgresMsPerCall, double jvmMsPerCall, double callerMsPerCall, double machineBusyPercent) {
    static final Usage UNKNOWN = new Usage(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }

  /** @param backendPid the pid of any backend of the cluster (its parent is the postmaster) */
  CpuMeter(long backendPid) {
    this.postmasterPid = readStat(Path.of("/proc", Long.toString(backendPid), "stat")).map(f -> f[1]).orElse(-1L);
  }

  Sample sample() {
    return new Sample(postgresNanos(), jvmNanos(), machine(true), machine(false));
  }

  Usage usage(Sample before, Sample after, int calls, long callerCpuNanos) {
    if (postmasterPid < 0 || before.postgresNanos() < 0 || after.postgresNanos() < 0) {
      return Usage.UNKNOWN;
    }
    double all = after.machineAllNanos() - before.machineAllNanos();
    return new Usage(
        (after.postgresNanos() - before.postgresNanos()) / 1e6 / calls,
        (after.jvmNanos() - before.jvmNanos()) / 1e6 / calls,
        callerCpuNanos / 1e6 / calls,
        all > 0 ? 100.0 * (after.machineBusyNanos() - before.machineBusyNanos()) / all : Double.NaN);
  }

  private long postgresNanos() {
    if (postmasterPid < 0) {
      return -1;
    }
    // utime, stime, cutime, cstime of the postmaster (cutime/cstime: children it has reaped)
    Optional<long[]> postmaster = readStat(Path.of("/proc", Long.toString(postmasterPid), "stat"));
    if (postmaster.isEmpty()) {
      return -1;
    }
    long[] p = postmaster.get();
    long ticks = p[11] + p[12] + p[13] + p[14];
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        Optional<long[]> child = readStat(proc.resolve("stat"));
        if (child.isPresent() && child.get()[1] == postmasterPid) {
          ticks += child.get()[11] + child.get()[12];
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return ticks * NANOS_PER_TICK;
  }

  private static long jvmNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }

  /** From the first line of /proc/stat: busy (everything but idle and iowait) or all ticks, as nanoseconds. */
  private static long machine(boolean busyOnly) {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0);
      String[] f = first.trim().split("\\s+", -1);
      long all = 0;
      for (int i = 1; i < f.length; i++) {
        all += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return (busyOnly ? all - idle : all) * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The numeric fields of {@code /proc/<pid>/stat} after the command name, so that index 1 is the parent pid, and
   * 11..14 are utime, stime, cutime, cstime (fields 14..17 of proc(5)).
   */
  private static Optional<long[]> readStat(Path stat) {
    try {
      String s = Files.readString(stat, StandardCharsets.US_ASCII);
      String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ", -1);
      long[] out = new long[15];
      for (int i = 1; i < out.length; i++) {
        out[i] = Long.parseLong(f[i]);
      }
      return Optional.of(out);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
