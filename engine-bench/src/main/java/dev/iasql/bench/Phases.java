package dev.iasql.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the time of a bridge call goes. A trace trigger (installed by the admin in the benchmark's own database, after
 * the main measurements) stamps every state change of {@code iasql_operation} with {@code clock_timestamp()}: the
 * request row's insert ({@code start_date}), the engine's claim ({@code running}), the outcome ({@code done}) and the
 * caller's final read of it. PostgreSQL and the benchmark share this host's clock, so with one caller each call's
 * client-side start and end line up with its row.
 */
final class Phases {
  private Phases() {}

  /** One phase's latency distribution (its {@link Summary#callsPerSecond()} is meaningless and not shown). */
  record Row(int callers, String phase, Summary stats) {}

  private static final String TRACE =
      """
      CREATE TABLE IF NOT EXISTS public.bench_trace (
        id bigint NOT NULL, event text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
      -- A definer function: the engine writes iasql_operation as a role of its own, which may not write bench_trace.
      CREATE OR REPLACE FUNCTION public.bench_trace() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp AS $fn$
      BEGIN
        INSERT INTO public.bench_trace (id, event)
          VALUES (NEW.id, CASE WHEN NEW.status IS DISTINCT FROM OLD.status THEN NEW.status ELSE 'read' END);
        RETURN NULL;
      END
      $fn$;
      CREATE OR REPLACE TRIGGER bench_trace AFTER UPDATE ON public.iasql_operation
        FOR EACH ROW EXECUTE FUNCTION public.bench_trace();
      """;

  private static final String TIMES =
      """
      SELECT (extract(epoch FROM o.start_date) * 1000000)::bigint,
        (SELECT (extract(epoch FROM min(t.at)) * 1000000)::bigint FROM public.bench_trace t
          WHERE t.id = o.id AND t.event = 'running'),
        (SELECT (extract(epoch FROM min(t.at)) * 1000000)::bigint FROM public.bench_trace t
          WHERE t.id = o.id AND t.event = 'done'),
        (SELECT (extract(epoch FROM min(t.at)) * 1000000)::bigint FROM public.bench_trace t
          WHERE t.id = o.id AND t.event = 'read')
      FROM public.iasql_operation o WHERE o.start_date >= to_timestamp(?::float8 / 1000000) ORDER BY o.id
      """;

  /** Runs {@code calls} traced bridge calls with {@code callers} callers and splits their latency into phases. */
  static List<Row> measure(Load.Login tenant, Load.Login admin, String sql, int callers, int warmup, int calls)
      throws SQLException, InterruptedException {
    try (Connection c = admin.open(); Statement s = c.createStatement()) {
      s.execute(TRACE);
      s.execute("TRUNCATE public.bench_trace");
    }
    Load.Run run = Load.run(tenant, sql, callers, warmup, calls, null);
    long firstStart = run.firstStartNanos();
    List<long[]> ops = new ArrayList<>(); // inserted, claimed, done, read: epoch micros
    try (Connection c = admin.open(); PreparedStatement ps = c.prepareStatement(TIMES)) {
      ps.setLong(1, run.epochMicros(firstStart) - 1000); // the anchor is good to well under a millisecond
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ops.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)});
        }
      }
    }
    long[] latencies = run.latencies();
    if (ops.size() != latencies.length) {
      throw new IllegalStateException("traced " + ops.size() + " requests for " + latencies.length + " calls");
    }
    int n = ops.size();
    long[] insertToClaim = new long[n];
    long[] claimToDone = new long[n];
    for (int i = 0; i < n; i++) {
      long[] o = ops.get(i);
      insertToClaim[i] = micros(o[1] - o[0]);
      claimToDone[i] = micros(o[2] - o[1]);
    }
    long wall = run.wallNanos();
    List<Row> rows = new ArrayList<>();
    if (callers == 1) {
      long[] clientToInsert = new long[n];
      long[] readToClient = new long[n];
      long[] starts = run.startNanos(0);
      long[] ends = run.endNanos(0);
      for (int i = 0; i < n; i++) {
        long[] o = ops.get(i);
        clientToInsert[i] = micros(o[0] - run.epochMicros(starts[i]));
        readToClient[i] = micros(run.epochMicros(ends[i]) - o[2]);
      }
      rows.add(new Row(callers, "client sends -> request row inserted", Summary.of(clientToInsert, wall)));
      rows.add(new Row(callers, "inserted -> claimed by the engine", Summary.of(insertToClaim, wall)));
      rows.add(new Row(callers, "claimed -> outcome written", Summary.of(claimToDone, wall)));
      // The caller reads its outcome itself in READ COMMITTED (no write to trace): one phase from the outcome on.
      rows.add(new Row(callers, "outcome written -> client has the rows", Summary.of(readToClient, wall)));
    } else {
      rows.add(new Row(callers, "inserted -> claimed by the engine", Summary.of(insertToClaim, wall)));
      rows.add(new Row(callers, "claimed -> outcome written", Summary.of(claimToDone, wall)));
    }
    rows.add(new Row(callers, "total, as the client sees it", Summary.of(latencies, wall)));
    return rows;
  }

  /** Microseconds as nanoseconds; a few microseconds of clock jitter never make a phase negative. */
  private static long micros(long micros) {
    return Math.max(0, micros) * 1000;
  }
}
