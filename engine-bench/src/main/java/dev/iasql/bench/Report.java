package dev.iasql.bench;

import java.util.List;
import java.util.Locale;

/** The benchmark's figures, as a table for people and as JSON for tools. */
record Report(Environment environment, List<Measurement> measurements, List<Phases.Row> phases,
    List<Probes.Probe> probes) {

  /** What the figures were measured on and with. */
  record Environment(String postgres, int cpus, String java, int warmupCalls, int calls) {}

  /** One configuration: a query, a number of callers, one round. */
  record Measurement(String query, int callers, int round, Summary summary, CpuMeter.Usage cpu) {}

  /** The goals for the bridge's no-op call. */
  static final double GOAL_P50_MS = 3.0;

  static final double GOAL_CALLS_PER_SECOND_4 = 600.0;

  String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "Bridge round trip: PostgreSQL %s, %d CPUs, Java %s; %d warm-up calls, %d measured calls per row%n",
        environment.postgres(), environment.cpus(), environment.java(), environment.warmupCalls(),
        environment.calls()));
    String header = String.format(Locale.ROOT, "%-36s %7s %5s %8s %8s %8s %8s %8s %9s%n", "query", "callers", "round",
        "p50 ms", "p90 ms", "p99 ms", "max ms", "mean ms", "calls/s");
    sb.append(header);
    for (Measurement m : measurements) {
      Summary s = m.summary();
      sb.append(String.format(Locale.ROOT, "%-36s %7d %5d %8.3f %8.3f %8.3f %8.3f %8.3f %9.0f%n", m.query(),
          m.callers(), m.round(), s.p50Ms(), s.p90Ms(), s.p99Ms(), s.maxMs(), s.meanMs(), s.callsPerSecond()));
    }
    sb.append(String.format(Locale.ROOT, "%nCPU per call (ms) while measuring; the machine may run other work too%n"));
    sb.append(String.format(Locale.ROOT, "%-36s %7s %5s %10s %12s %10s %13s%n", "query", "callers", "round",
        "postgres", "jvm (all)", "callers", "machine busy"));
    for (Measurement m : measurements) {
      CpuMeter.Usage u = m.cpu();
      sb.append(String.format(Locale.ROOT, "%-36s %7d %5d %10.3f %12.3f %10.3f %12.0f%%%n", m.query(), m.callers(),
          m.round(), u.postgresMsPerCall(), u.jvmMsPerCall(), u.callerMsPerCall(), u.machineBusyPercent()));
    }
    if (!phases.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "%nWhere a bridge call's time goes (traced run, trigger on iasql_operation)%n"));
      sb.append(String.format(Locale.ROOT, "%-44s %7s %8s %8s %8s %8s %8s%n", "phase", "callers", "p50 ms", "p90 ms",
          "p99 ms", "max ms", "mean ms"));
      for (Phases.Row r : phases) {
        Summary s = r.stats();
        sb.append(String.format(Locale.ROOT, "%-44s %7d %8.3f %8.3f %8.3f %8.3f %8.3f%n", r.phase(), r.callers(),
            s.p50Ms(), s.p90Ms(), s.p99Ms(), s.maxMs(), s.meanMs()));
      }
    }
    if (!probes.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "%nBuilding blocks (admin, no engine call)%n"));
      for (Probes.Probe p : probes) {
        sb.append(String.format(Locale.ROOT, "%-64s %8.3f ms%n", p.name(), p.ms()));
      }
    }
    return sb.toString();
  }

  String json() {
    StringBuilder sb = new StringBuilder();
    sb.append("{\n  \"benchmark\": \"bridge-round-trip\",\n");
    sb.append("  \"environment\": {\"postgres\": ").append(str(environment.postgres()))
        .append(", \"cpus\": ").append(environment.cpus())
        .append(", \"java\": ").append(str(environment.java()))
        .append(", \"warmupCalls\": ").append(environment.warmupCalls())
        .append(", \"calls\": ").append(environment.calls()).append("},\n");
    sb.append("  \"goals\": {\"p50Ms\": ").append(num(GOAL_P50_MS))
        .append(", \"callsPerSecondWith4Callers\": ").append(num(GOAL_CALLS_PER_SECOND_4)).append("},\n");
    sb.append("  \"results\": [");
    for (int i = 0; i < measurements.size(); i++) {
      Measurement m = measurements.get(i);
      sb.append(i == 0 ? "\n" : ",\n").append("    {\"query\": ").append(str(m.query()))
          .append(", \"callers\": ").append(m.callers())
          .append(", \"round\": ").append(m.round())
          .append(", ").append(latency(m.summary()))
          .append(", \"callsPerSecond\": ").append(num(m.summary().callsPerSecond()))
          .append(", \"cpuMsPerCall\": {\"postgres\": ").append(num(m.cpu().postgresMsPerCall()))
          .append(", \"jvm\": ").append(num(m.cpu().jvmMsPerCall()))
          .append(", \"callers\": ").append(num(m.cpu().callerMsPerCall()))
          .append("}, \"machineBusyPercent\": ").append(num(m.cpu().machineBusyPercent())).append('}');
    }
    sb.append("\n  ],\n  \"phases\": [");
    for (int i = 0; i < phases.size(); i++) {
      Phases.Row r = phases.get(i);
      sb.append(i == 0 ? "\n" : ",\n").append("    {\"phase\": ").append(str(r.phase()))
          .append(", \"callers\": ").append(r.callers())
          .append(", ").append(latency(r.stats())).append('}');
    }
    sb.append("\n  ],\n  \"probes\": [");
    for (int i = 0; i < probes.size(); i++) {
      Probes.Probe p = probes.get(i);
      sb.append(i == 0 ? "\n" : ",\n").append("    {\"probe\": ").append(str(p.name()))
          .append(", \"ms\": ").append(num(p.ms())).append('}');
    }
    sb.append("\n  ]\n}\n");
    return sb.toString();
  }

  private static String latency(Summary s) {
    return "\"calls\": " + s.calls() + ", \"p50Ms\": " + num(s.p50Ms()) + ", \"p90Ms\": " + num(s.p90Ms())
        + ", \"p99Ms\": " + num(s.p99Ms()) + ", \"maxMs\": " + num(s.maxMs()) + ", \"meanMs\": " + num(s.meanMs());
  }

  static String num(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "null";
    }
    return String.format(Locale.ROOT, "%.3f", d);
  }

  static String str(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
