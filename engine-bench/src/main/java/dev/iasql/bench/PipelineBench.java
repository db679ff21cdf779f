package dev.iasql.bench;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.SharedCluster;
import dev.iasql.testkit.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How much of a distant cloud's latency apply overlaps (issue 15: 50 new security groups took 0.21 of the sequential
 * time behind a proxy adding 50 ms to each moto request). Moto runs behind a {@link DelayProxy} adding {@code
 * bench.pipeline.delayMs} (50) to each request; each run inserts {@code bench.pipeline.groups} (50) security groups as
 * the tenant and times {@code iasql_apply()} through SQL, then deletes them with another apply (not timed). The ratio
 * is the apply's wall time over the sum of its requests' times (what they would take one after another); goal
 * &le; 0.15. {@code bench.pipeline.runs} (3) measured runs after one warm-up; min/median/max. Writes {@code
 * bench.pipeline.out} ({@code target/pipeline.txt}).
 */
public final class PipelineBench {
  private PipelineBench() {}

  public static void main(String[] args) throws Exception {
    int groups = Integer.getInteger("bench.pipeline.groups", 50);
    int runs = Integer.getInteger("bench.pipeline.runs", 3);
    Duration delay = Duration.ofMillis(Long.getLong("bench.pipeline.delayMs", 50));
    Path out = Path.of(System.getProperty("bench.pipeline.out", "target/pipeline.txt"));
    String moto = OwnMoto.start();
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "apply of %d new security groups, moto behind"
        + " a proxy adding %d ms to each request%n", groups, delay.toMillis()));
    List<Double> ratios = new ArrayList<>();
    try (DelayProxy proxy = new DelayProxy(moto, delay)) {
      System.setProperty("aws.endpointUrl", proxy.endpoint());
      Engine engine = SharedCluster.engine();
      PostgresCluster postgres = SharedCluster.postgres();
      CreatedDatabase db = engine.createDatabase("pipeline_" + Long.toHexString(System.nanoTime() & 0xffffff));
      try (Connection c = new Load.Login(postgres.jdbcUrl(db.name()), db.pgUser(), db.pgPassword()).open()) {
        Sql.rows(c, "SELECT * FROM iasql_install('aws_account', 'aws_security_group')");
        Sql.exec(c, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
            "AKIABENCH00000000000", "any: this moto checks no keys");
        Sql.rows(c, CloudLoop.SYNC);
        for (int run = 0; run <= runs; run++) {
          String prefix = "pipe" + run + "-";
          Sql.exec(c, "INSERT INTO security_group (description, group_name) SELECT 'bench', ? || g"
              + " FROM generate_series(1, ?) g", prefix, groups);
          proxy.reset();
          long start = System.nanoTime();
          int changes = Sql.rows(c, CloudLoop.APPLY).size();
          long wallMs = (System.nanoTime() - start) / 1_000_000;
          DelayProxy.Figures f = proxy.figures();
          double ratio = (double) wallMs / f.sequentialMs();
          String line = String.format(Locale.ROOT, "%s: %d changes in %d ms; %d requests, %d ms one after another,"
              + " at most %d in flight; ratio %.3f%n", run == 0 ? "warm-up" : "run " + run, changes, wallMs,
              f.requests(), f.sequentialMs(), f.mostInFlight(), ratio);
          System.out.print(line);
          text.append(line);
          if (run > 0) {
            ratios.add(ratio);
          }
          Sql.exec(c, "DELETE FROM security_group_rule WHERE security_group_id IN (SELECT id FROM security_group"
              + " WHERE group_name LIKE ?)", prefix + "%");
          Sql.exec(c, "DELETE FROM security_group WHERE group_name LIKE ?", prefix + "%");
          Sql.rows(c, CloudLoop.APPLY);
        }
      } finally {
        engine.dropDatabase(db.name());
        engine.close();
      }
    }
    List<Double> sorted = ratios.stream().sorted().toList();
    double median = sorted.get(sorted.size() / 2);
    text.append(String.format(Locale.ROOT, "ratio min/median/max: %.3f / %.3f / %.3f; goal <= 0.15: %s%n",
        sorted.get(0), median, sorted.get(sorted.size() - 1), median <= 0.15 ? "PASS" : "MISS"));
    System.out.print(text.substring(text.lastIndexOf("ratio min")));
    BridgeRoundTrip.write(out, text.toString());
    System.out.println("written to " + out.toAbsolutePath());
  }
}
