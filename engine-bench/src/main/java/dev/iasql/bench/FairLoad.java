package dev.iasql.bench;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.SharedCluster;
import dev.iasql.testkit.Sql;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Fairness under load (issue 15): {@code busy} databases, each with one client calling {@code iasql_apply()} and
 * {@code iasql_sync()} against moto without pause, and one more database, idle, whose client calls the no-op
 * {@code iasql_modules_list()} meanwhile. Reports the idle database's latency (p50/p99/max) and every failed call.
 * Against a moto of its own that checks no credentials (so that each busy database can have an account of its own,
 * assumed into by account id), unless
 * {@code bench.fair.sharedAccount=true} puts them all on one (they then delete each other's groups).
 *
 * <p>This JVM holds the engine; the clients run in a JVM of their own ({@link FairClients}), as a user's clients
 * do: with both in one, the clients' collections paused the engine (20 a minute at 200 busy databases, 80-120 ms each).
 *
 * <p>System properties: {@code bench.fair.busy} (50), {@code bench.fair.seconds} (60), {@code bench.fair.sharedAccount}
 * (false), {@code bench.fair.cold} (false: see {@link FairClients}), {@code bench.fair.out} ({@code target/fair-load.txt}), {@code bench.fair.clientsJvmOption} (one option
 * for the clients' JVM). Exits with 1 when any call failed.
 */
public final class FairLoad {
  private FairLoad() {}

  public static void main(String[] args) throws Exception {
    int busy = Integer.getInteger("bench.fair.busy", 50);
    Path out = Path.of(System.getProperty("bench.fair.out", "target/fair-load.txt"));
    boolean sharedAccount = Boolean.getBoolean("bench.fair.sharedAccount");

    String endpoint = OwnMoto.start();
    System.setProperty("aws.endpointUrl", endpoint); // before the engine builds any AWS client
    Engine engine = SharedCluster.engine();
    PostgresCluster postgres = SharedCluster.postgres();
    String run = Long.toHexString(System.nanoTime() & 0xffffff);
    List<String> names = new ArrayList<>();
    String text;
    int exit;
    try {
      long setupStart = System.nanoTime();
      List<Moto.Keys> keys = sharedAccount
          ? Collections.nCopies(busy, new Moto.Keys(Moto.ACCOUNT_ID, "AKIAFAIRLOADSHARED00", "fair"))
          : accounts(endpoint, busy);
      List<Future<Load.Login>> made = new ArrayList<>();
      ExecutorService setup = Executors.newFixedThreadPool(4);
      for (int i = 0; i < busy; i++) {
        String name = "fair_" + run + "_" + i;
        names.add(name);
        Moto.Keys k = keys.get(i);
        made.add(setup.submit(() -> busyDatabase(engine, postgres, name, k)));
      }
      String idleName = "fair_" + run + "_idle";
      names.add(idleName);
      CreatedDatabase idleDb = engine.createDatabase(idleName);
      List<Load.Login> logins = new ArrayList<>();
      logins.add(new Load.Login(postgres.jdbcUrl(idleDb.name()), idleDb.pgUser(), idleDb.pgPassword()));
      for (Future<Load.Login> f : made) {
        logins.add(f.get());
      }
      setup.shutdown();
      long setupMs = (System.nanoTime() - setupStart) / 1_000_000;
      Path loginFile = Files.createTempFile("fair-logins", ".tsv");
      Path probeFile = Files.createTempFile("fair-probe", ".tsv");
      try {
        Files.write(loginFile, logins.stream().map(l -> l.url() + "\t" + l.user() + "\t" + l.password()).toList(),
            StandardCharsets.UTF_8);
        Files.writeString(probeFile, String.join("\t", postgres.jdbcUrl(idleName), postgres.adminUser(),
            postgres.adminPassword(), postgres.bridgeConnInfo(idleName, postgres.adminUser(), postgres.adminPassword())),
            StandardCharsets.UTF_8);
        Clients clients = runClients(loginFile, probeFile, setupMs);
        text = clients.report() + clients.engineLine();
        exit = clients.exit();
      } finally {
        Files.deleteIfExists(loginFile);
        Files.deleteIfExists(probeFile);
      }
    } finally {
      for (String name : names) {
        try {
          engine.dropDatabase(name);
        } catch (RuntimeException e) {
          System.err.println("could not drop " + name + ": " + e.getMessage());
        }
      }
      engine.close();
    }
    System.out.println();
    System.out.print(text);
    BridgeRoundTrip.write(out, text);
    System.out.println("written to " + out.toAbsolutePath());
    System.exit(exit);
  }

  /** What the clients' JVM reported, and the engine's JVM meanwhile. */
  private record Clients(String report, String engineLine, int exit) {}

  /**
   * Runs {@link FairClients} in a JVM of its own, with this one's class path, and samples this JVM (the engine's)
   * between the lines that say the load started and ended: its collections and its most threads at once.
   */
  private static Clients runClients(Path loginFile, Path probeFile, long setupMs) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        System.getProperty("bench.fair.clientsJvmOption", "-XX:+UseG1GC"),
        "-Dbench.fair.seconds=" + Integer.getInteger("bench.fair.seconds", 60),
        "-Dbench.fair.sharedAccount=" + Boolean.getBoolean("bench.fair.sharedAccount"),
        "-Dbench.fair.setupMs=" + setupMs,
        "-Dbench.fair.cold=" + Boolean.getBoolean("bench.fair.cold"),
        "-classpath", System.getProperty("java.class.path"), FairClients.class.getName(), loginFile.toString(),
        probeFile.toString()));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] gcBefore = null;
    long[] gcAfter = null;
    int peakThreads = 0;
    String threadsAtEnd = "";
    StringBuilder report = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.equals(FairClients.STARTED)) {
          gcBefore = FairClients.gcCountAndMillis();
          threads.resetPeakThreadCount();
        } else if (line.equals(FairClients.ENDED)) {
          gcAfter = FairClients.gcCountAndMillis();
          peakThreads = threads.getPeakThreadCount();
          threadsAtEnd = threadsByName();
        } else if (gcAfter != null) {
          report.append(line).append(System.lineSeparator());
        } else {
          System.out.println(line);
        }
      }
    }
    int exit = p.waitFor();
    if (gcBefore == null || gcAfter == null) {
      throw new IllegalStateException("the clients' JVM ended with " + exit + " before its load ended");
    }
    return new Clients(report.toString(), String.format(Locale.ROOT, "the engine's JVM during the load (%s): %d"
        + " collector pauses, %d ms in all; at most %d threads; at its end: %s%n", collectors(),
        gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1], peakThreads, threadsAtEnd), exit);
  }

  /** The names of this JVM's collectors, as its management beans give them. */
  private static String collectors() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
        .collect(Collectors.joining(", "));
  }

  /** The live threads by name, digits left out (iasql-wire-12 counts as iasql-wire-N), the most numerous first. */
  private static String threadsByName() {
    Map<String, Long> byName = Thread.getAllStackTraces().keySet().stream()
        .collect(Collectors.groupingBy(t -> t.getName().replaceAll("[0-9]+", "N"), Collectors.counting()));
    return byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
        .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
  }

  /** Creates a database with aws_account (these keys) and aws_security_group; returns its tenant's login. */
  private static Load.Login busyDatabase(Engine engine, PostgresCluster postgres, String name, Moto.Keys keys)
      throws SQLException {
    CreatedDatabase db = engine.createDatabase(name);
    Load.Login login = new Load.Login(postgres.jdbcUrl(db.name()), db.pgUser(), db.pgPassword());
    try (Connection c = login.open()) {
      Sql.rows(c, "SELECT * FROM iasql_install('aws_account')");
      Sql.exec(c, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
          keys.accessKeyId(), keys.secretAccessKey());
      Sql.rows(c, "SELECT * FROM iasql_install('aws_security_group')");
    }
    return login;
  }

  /** Keys of {@code n} accounts of their own: one assume-role into each. */
  private static List<Moto.Keys> accounts(String endpoint, int n) {
    List<Moto.Keys> keys = new ArrayList<>();
    try (StsClient sts = StsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("fair", "fair"))).build()) {
      for (int i = 0; i < n; i++) {
        String account = String.format(Locale.ROOT, "%012d", 300_000_000_000L + i);
        Credentials role = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + account + ":role/fair")
            .roleSessionName("fair")).credentials();
        keys.add(new Moto.Keys(account, role.accessKeyId(), role.secretAccessKey()));
      }
    }
    return keys;
  }
}
