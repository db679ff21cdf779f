package dev.iasql.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The cost of the bridge's building blocks on their own, measured as the admin in the benchmark's database: how late
 * a NOTIFY reaches a pgjdbc listener that waits the way the engine's does, what {@code pg_sleep} really sleeps, and
 * what one dblink poll, one presence check and one {@code dblink_connect} cost inside the server.
 */
final class Probes {
  private Probes() {}

  /** A probe's result: milliseconds, as a mean or a percentile. */
  record Probe(String name, double ms) {}

  private static final String FUNCTIONS =
      """
      CREATE OR REPLACE FUNCTION public.bench_sleep(d float8, n int) RETURNS float8 LANGUAGE plpgsql AS $fn$
      DECLARE t timestamptz := clock_timestamp();
      BEGIN
        FOR i IN 1..n LOOP PERFORM pg_sleep(d); END LOOP;
        RETURN extract(epoch FROM clock_timestamp() - t) * 1000 / n;
      END
      $fn$;
      CREATE OR REPLACE FUNCTION public.bench_dblink_poll(n int) RETURNS float8 LANGUAGE plpgsql AS $fn$
      DECLARE t timestamptz; s text;
      BEGIN
        IF 'bench_probe' <> ALL (coalesce(iasql_engine.dblink_get_connections(), '{}')) THEN
          PERFORM iasql_engine.dblink_connect('bench_probe', (SELECT c.conninfo FROM iasql_engine.config c));
        END IF;
        t := clock_timestamp();
        FOR i IN 1..n LOOP
          SELECT x.status INTO s FROM iasql_engine.dblink('bench_probe',
            format('SELECT status FROM public.iasql_operation WHERE id = %s', i)) AS x(status text);
        END LOOP;
        RETURN extract(epoch FROM clock_timestamp() - t) * 1000 / n;
      END
      $fn$;
      CREATE OR REPLACE FUNCTION public.bench_present(n int) RETURNS float8 LANGUAGE plpgsql AS $fn$
      DECLARE t timestamptz := clock_timestamp();
      BEGIN
        FOR i IN 1..n LOOP PERFORM iasql_engine.ring_engine('p', 0); END LOOP;
        RETURN extract(epoch FROM clock_timestamp() - t) * 1000 / n;
      END
      $fn$;
      CREATE OR REPLACE FUNCTION public.bench_try_lock(n int) RETURNS float8 LANGUAGE plpgsql AS $fn$
      DECLARE t timestamptz := clock_timestamp();
      BEGIN
        FOR i IN 1..n LOOP PERFORM pg_try_advisory_xact_lock(424242, i); END LOOP;
        RETURN extract(epoch FROM clock_timestamp() - t) * 1000 / n;
      END
      $fn$;
      CREATE OR REPLACE FUNCTION public.bench_dblink_connect(n int) RETURNS float8 LANGUAGE plpgsql AS $fn$
      DECLARE t timestamptz := clock_timestamp();
      BEGIN
        FOR i IN 1..n LOOP
          PERFORM iasql_engine.dblink_connect('bench_connect', (SELECT c.conninfo FROM iasql_engine.config c));
          PERFORM iasql_engine.dblink_disconnect('bench_connect');
        END LOOP;
        RETURN extract(epoch FROM clock_timestamp() - t) * 1000 / n;
      END
      $fn$;
      """;

  static List<Probe> measure(Load.Login admin) throws SQLException, InterruptedException {
    List<Probe> out = new ArrayList<>(notifyLatency(admin, 400));
    try (Connection c = admin.open()) {
      try (Statement s = c.createStatement()) {
        s.execute(FUNCTIONS);
      }
      Map<String, String> server = new LinkedHashMap<>();
      server.put("pg_sleep(0.0002), mean", "SELECT public.bench_sleep(0.0002, 200)");
      server.put("pg_sleep(0.0008), mean", "SELECT public.bench_sleep(0.0008, 200)");
      server.put("pg_sleep(0.001), mean", "SELECT public.bench_sleep(0.001, 200)");
      server.put("pg_sleep(0.0016), mean", "SELECT public.bench_sleep(0.0016, 100)");
      server.put("one dblink status poll (server side), mean", "SELECT public.bench_dblink_poll(2000)");
      server.put("iasql_engine.ring_engine('p', 0) (presence, asked through the ring session), mean",
          "SELECT public.bench_present(2000)");
      server.put("pg_try_advisory_xact_lock (presence check without pg_locks), mean",
          "SELECT public.bench_try_lock(2000)");
      server.put("dblink_connect + disconnect (first call of a session), mean",
          "SELECT public.bench_dblink_connect(20)");
      for (Map.Entry<String, String> e : server.entrySet()) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(e.getValue())) {
          rs.next();
          out.add(new Probe(e.getKey(), rs.getDouble(1)));
        }
      }
    }
    return out;
  }

  /**
   * NOTIFY to a listener that loops on {@code getNotifications(500)}, as the engine's does: the time from sending the
   * NOTIFY (autocommit, so it is delivered at once) until the listener thread holds it.
   */
  private static List<Probe> notifyLatency(Load.Login admin, int count) throws SQLException, InterruptedException {
    long[] sent = new long[count];
    long[] received = new long[count];
    try (Connection listen = admin.open(); Connection send = admin.open()) {
      try (Statement s = listen.createStatement()) {
        s.execute("LISTEN bench_probe");
      }
      PGConnection pg = listen.unwrap(PGConnection.class);
      Thread listener = new Thread(() -> {
        int got = 0;
        try {
          while (got < count) {
            PGNotification[] notes = pg.getNotifications(500);
            long now = System.nanoTime();
            if (notes != null) {
              for (PGNotification n : notes) {
                received[Integer.parseInt(n.getParameter())] = now;
                got++;
              }
            }
          }
        } catch (SQLException e) {
          throw new IllegalStateException("the probe's listener failed", e);
        }
      }, "bench-probe-listener");
      listener.setDaemon(true);
      listener.start();
      try (PreparedStatement ps = send.prepareStatement("SELECT pg_notify('bench_probe', ?)")) {
        for (int i = 0; i < count; i++) {
          ps.setString(1, Integer.toString(i));
          sent[i] = System.nanoTime();
          ps.execute();
          TimeUnit.MILLISECONDS.sleep(3); // about the pace of one caller
        }
      }
      listener.join(10_000);
      if (listener.isAlive()) {
        throw new IllegalStateException("the probe's listener did not get every notification");
      }
    }
    long[] latency = new long[count];
    for (int i = 0; i < count; i++) {
      latency[i] = received[i] - sent[i];
    }
    Arrays.sort(latency);
    return List.of(
        new Probe("NOTIFY -> pgjdbc getNotifications(500) returns, p50", Summary.percentile(latency, 50) / 1e6),
        new Probe("NOTIFY -> pgjdbc getNotifications(500) returns, p90", Summary.percentile(latency, 90) / 1e6),
        new Probe("NOTIFY -> pgjdbc getNotifications(500) returns, p99", Summary.percentile(latency, 99) / 1e6));
  }
}
