package dev.iasql.bench;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.SharedCluster;
import dev.iasql.testkit.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The first cloud call after the engine starts, against the same call later (issue 15: the first sync after {@code
 * serve} cost 1.3-1.7 s more, the AWS SDK starting up in a fresh JVM). Must run in a JVM that has not used the AWS SDK
 * yet: moto is a process of its own, and its account state is made beforehand over plain HTTP, so that moto's first-use
 * cost does not count as the engine's. Then the engine starts, and {@code bench.first.databases} (4) databases each
 * get aws_account and aws_security_group without keys (no cloud call) and the keys; then each database's first
 * {@code iasql_sync()}, which imports the same account, is timed in turn, as the tenant, through SQL. The first of
 * them is the engine's first cloud call; the others do the same work in a warm JVM.
 *
 * <p>Prints every sync and the first minus the second; goal: at most 200 ms. Writes {@code bench.first.out} ({@code
 * target/first-sync.txt}).
 */
public final class FirstSync {
  private FirstSync() {}

  public static void main(String[] args) throws Exception {
    int databases = Integer.getInteger("bench.first.databases", 4);
    Path out = Path.of(System.getProperty("bench.first.out", "target/first-sync.txt"));
    String endpoint = OwnMoto.start();
    for (String action : List.of("DescribeRegions", "DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups",
        "DescribeSecurityGroupRules", "DescribeAvailabilityZones")) {
      OwnMoto.ec2(endpoint, action);
    }
    System.setProperty("aws.endpointUrl", endpoint);
    long start = System.nanoTime();
    Engine engine = SharedCluster.engine();
    PostgresCluster postgres = SharedCluster.postgres();
    long startedMs = (System.nanoTime() - start) / 1_000_000;
    String prefix = "first_sync_" + Long.toHexString(System.nanoTime() & 0xffffff) + "_";
    List<String> names = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    long beforeFirstMs;
    try {
      List<Load.Login> logins = new ArrayList<>();
      for (int i = 0; i < databases; i++) {
        CreatedDatabase db = engine.createDatabase(prefix + i);
        names.add(db.name());
        Load.Login login = new Load.Login(postgres.jdbcUrl(db.name()), db.pgUser(), db.pgPassword());
        logins.add(login);
        try (Connection c = login.open()) {
          Sql.rows(c, "SELECT * FROM iasql_install('aws_account')");
          Sql.rows(c, "SELECT * FROM iasql_install('aws_security_group')");
          Sql.exec(c, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
              "AKIABENCH00000000000", "any: this moto checks no keys");
        }
      }
      beforeFirstMs = (System.nanoTime() - start) / 1_000_000;
      for (Load.Login login : logins) {
        try (Connection c = login.open()) {
          long t = System.nanoTime();
          Sql.rows(c, CloudLoop.SYNC);
          times.add((System.nanoTime() - t) / 1_000_000);
        }
      }
    } finally {
      names.forEach(engine::dropDatabase);
      engine.close();
    }
    long first = times.get(0);
    long second = times.get(1);
    String text = String.format(Locale.ROOT, "First sync after start: engine and cluster up in %d ms; the first"
        + " iasql_sync() began %d ms after the start%neach database's first sync (the same import), ms: %s%nfirst -"
        + " second: %d ms; goal <= 200 ms: %s%n", startedMs, beforeFirstMs, times, first - second,
        first - second <= 200 ? "PASS" : "MISS");
    System.out.println();
    System.out.print(text);
    BridgeRoundTrip.write(out, text);
    System.out.println("written to " + out.toAbsolutePath());
  }
}
