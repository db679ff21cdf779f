package dev.iasql.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.postgres.EmbeddedOptions;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Crashes leak nothing: the engine's process is SIGKILLed at a random moment of each of a series of applies that
 * create and delete resources, restarted, and at the end applied once more; then moto and the rows are compared.
 * Counted: resources with no row (leaked), names with two resources (duplicated), rows with no resource (lost).
 *
 * <p>The engine runs as {@code ./iasql serve --postgres-url} on a PostgreSQL this test owns, so that a kill takes the
 * engine and nothing else, as it does on a hosted cluster. Seeded ({@code -Dcrash.seed}), so a failure's sequence of
 * changes and kill delays can be replayed; {@code -Dcrash.applies} (default 6, to keep the suite short) sets how many
 * killed applies: the closing figures come from {@code -Dcrash.applies=20}.
 */
class CrashLeakTest {
  private static final String REGION = "us-east-1";
  private static final long SEED = Long.getLong("crash.seed", 15);
  private static final int APPLIES = Integer.getInteger("crash.applies", 6);
  /** Beyond the apply's read, about how long its writes take against moto here: some kills land after it. */
  private static final int KILL_WINDOW_MS = 1500;

  @TempDir Path temp;

  @Test
  void sigkillsDuringAppliesLeakDuplicateAndLoseNothing() throws Exception {
    Moto moto = Moto.start();
    Random random = new Random(SEED);
    String prefix = "crash" + Long.toHexString(random.nextLong() & 0xffffffL) + "-";
    ExecutorService caller = Executors.newSingleThreadExecutor();
    List<String> report = new ArrayList<>();
    try (PostgresCluster postgres = PostgresCluster.embedded(EmbeddedOptions.forTests())) {
      String url = ServerProcess.adminUrl(postgres);
      ServerProcess server = serve(url, moto);
      String tenantUrl;
      try {
        Cli.Result created = Cli.run("db", "create", "crashes", "--postgres-url", url);
        assertThat(created.exitCode()).as(created.toString()).isZero();
        tenantUrl = created.lastLine();
        try (Connection c = ServeAndDbTest.connect(tenantUrl)) {
          Sql.rows(c, "SELECT * FROM iasql_install('aws_account')");
          Sql.exec(c, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
              moto.account().accessKeyId(), moto.account().secretAccessKey());
          Sql.rows(c, "SELECT * FROM iasql_sync()");
          Sql.rows(c, "SELECT * FROM default_aws_region(?)", REGION);
          Sql.rows(c, "SELECT * FROM iasql_install(VARIADIC ?)", (Object) kinds(c).stream().map(Kind::module)
              .distinct().toArray(String[]::new));
        }
        int finished = 0;
        int killedMidway = 0;
        int lastApply = 0;
        for (int i = 0; i < APPLIES; i++) {
          try (Connection c = ServeAndDbTest.connect(tenantUrl)) {
            change(c, random, prefix, i);
            // A preview reads what apply reads first, and warms the restarted engine's cloud clients: the kill then
            // falls anywhere from the apply's read to past its last write, not mostly into a cold start.
            long start = System.nanoTime();
            Sql.rows(c, "SELECT * FROM iasql_preview_apply()");
            int read = (int) ((System.nanoTime() - start) / 1_000_000);
            long applyStart = System.nanoTime();
            Future<Long> apply = caller.submit(() -> {
              Sql.rows(c, "SELECT * FROM iasql_apply()");
              return System.nanoTime();
            });
            // Anywhere within what the last whole apply took: most kills land inside the apply.
            int delay = random.nextInt(Math.max(100, lastApply > 0 ? lastApply : read + KILL_WINDOW_MS));
            Thread.sleep(delay);
            server.kill();
            try {
              long end = apply.get(60, TimeUnit.SECONDS);
              finished++;
              lastApply = (int) ((end - applyStart) / 1_000_000);
              report.add("apply " + i + " finished within " + delay + " ms");
            } catch (java.util.concurrent.ExecutionException e) {
              killedMidway++;
              report.add("apply " + i + " killed after " + delay + " ms: "
                  + e.getCause().getMessage().lines().findFirst().orElse(""));
            }
          }
          server = serve(url, moto);
        }
        report.add(APPLIES + " applies: " + finished + " finished before the kill, " + killedMidway + " killed midway");
        assertThat(killedMidway).as("applies the kill interrupted, seed %s", SEED).isPositive();
        try (Connection c = ServeAndDbTest.connect(tenantUrl)) {
          Sql.rows(c, "SELECT * FROM iasql_apply()");
          assertThat(Sql.rows(c, "SELECT * FROM iasql_preview_apply()")).as("converged").isEmpty();
          Count count = count(c, prefix, moto);
          report.add("seed " + SEED + ": " + count);
          assertThat(count.leaked()).as("resources with no row, seed %s", SEED).isEmpty();
          assertThat(count.duplicated()).as("names with two resources, seed %s", SEED).isEmpty();
          assertThat(count.lost()).as("rows with no resource, seed %s", SEED).isEmpty();
          assertThat(count.resources()).as("the test made resources at all").isPositive();
        }
      } finally {
        server.close();
        // The CLI run in this JVM takes over logging, so the figures go to a file of their own.
        Files.write(Path.of("target", "crash-leak.txt"), report);
      }
    } finally {
      caller.shutdownNow();
    }
  }

  private ServerProcess serve(String postgresUrl, Moto moto) throws InterruptedException {
    return ServerProcess.serveOn(temp, postgresUrl, moto);
  }

  /**
   * One round of changes: in each table, a new row or two, and one of this test's earlier rows deleted (a VPC with
   * the subnet and groups in it).
   */
  private static void change(Connection c, Random random, String prefix, int round) throws SQLException {
    for (Kind k : kinds(c)) {
      int n = 1 + random.nextInt(2);
      for (int j = 0; j < n; j++) {
        k.insert(c, prefix + k.table().replace('_', '-') + "-" + round + "-" + j, round * 2 + j);
      }
      List<Map<String, Object>> ours = Sql.rows(c, "SELECT id FROM public." + k.table() + " WHERE " + k.nameSql()
          + " LIKE ? ORDER BY id", prefix + "%");
      if (ours.size() > 2 && random.nextBoolean()) {
        k.delete(c, ((Number) ours.get(random.nextInt(ours.size() - n)).get("id")).intValue());
      }
    }
  }

  /** What the test creates, per table: how to insert a row, delete one, and list the cloud's. */
  private interface Kind {
    String module();

    String table();

    /** The row's name, as SQL on the table. */
    String nameSql();

    /** The row's cloud id, as SQL on the table. */
    String idSql();

    void insert(Connection c, String name, int n) throws SQLException;

    default void delete(Connection c, int id) throws SQLException {
      Sql.exec(c, "DELETE FROM public." + table() + " WHERE id = ?", id);
    }

    /** The cloud's resources of this test: id → name. */
    Map<String, String> cloud(Clouds clouds, String prefix);
  }

  private static List<Kind> kinds(Connection c) throws SQLException {
    Set<String> offered = new HashSet<>();
    for (Map<String, Object> r : Sql.rows(c, "SELECT module_name FROM iasql_modules_list()")) {
      offered.add((String) r.get("module_name"));
    }
    List<Kind> kinds = new ArrayList<>(List.of(new Groups(), new Vpcs(), new Named("aws_cloudwatch", "log_group",
        "log_group_name", "log_group_arn", (clouds, prefix) -> {
          Map<String, String> out = new HashMap<>();
          clouds.logs.describeLogGroupsPaginator(b -> b.logGroupNamePrefix(prefix)).logGroups()
              .forEach(g -> out.put(g.arn(), g.logGroupName()));
          return out;
        }), new Named("aws_sqs", "queue", "name", "url", (clouds, prefix) -> {
          Map<String, String> out = new HashMap<>();
          clouds.sqs.listQueuesPaginator(b -> b.queueNamePrefix(prefix)).queueUrls()
              .forEach(u -> out.put(u, u.substring(u.lastIndexOf('/') + 1)));
          return out;
        }), new Named("aws_secrets_manager", "secret", "name", "arn", (clouds, prefix) -> {
          Map<String, String> out = new HashMap<>();
          clouds.secrets.listSecretsPaginator(b -> b.filters(f -> f.key("name").values(prefix)))
              .forEach(page -> page.secretList().forEach(x -> out.put(x.arn(), x.name())));
          return out;
        })));
    kinds.removeIf(k -> !offered.contains(k.module()));
    return kinds;
  }

  private static final class Groups implements Kind {
    @Override
    public String module() {
      return "aws_security_group";
    }

    @Override
    public String table() {
      return "security_group";
    }

    @Override
    public String nameSql() {
      return "group_name";
    }

    @Override
    public String idSql() {
      return "group_id";
    }

    @Override
    public void insert(Connection c, String name, int n) throws SQLException {
      Sql.exec(c, "INSERT INTO security_group (description, group_name) VALUES ('crash test', ?)", name);
    }

    /** A group's rules first (a group AWS gave its egress rule may have that rule's row). */
    @Override
    public void delete(Connection c, int id) throws SQLException {
      Sql.exec(c, "DELETE FROM security_group_rule WHERE security_group_id = ?", id);
      Sql.exec(c, "DELETE FROM security_group WHERE id = ?", id);
    }

    @Override
    public Map<String, String> cloud(Clouds clouds, String prefix) {
      Map<String, String> out = new HashMap<>();
      clouds.ec2.describeSecurityGroupsPaginator(b -> b.filters(Filter.builder().name("group-name")
          .values(prefix + "*").build())).securityGroups().forEach(g -> out.put(g.groupId(), g.groupName()));
      return out;
    }
  }

  private static final class Vpcs implements Kind {
    @Override
    public String module() {
      return "aws_vpc";
    }

    @Override
    public String table() {
      return "vpc";
    }

    @Override
    public String nameSql() {
      return "(tags ->> 'name')";
    }

    @Override
    public String idSql() {
      return "vpc_id";
    }

    @Override
    public void insert(Connection c, String name, int n) throws SQLException {
      Sql.exec(c, "INSERT INTO vpc (cidr_block, tags) VALUES (?::cidr, json_build_object('name', ?::text))",
          "10." + (100 + n % 150) + ".0.0/16", name);
    }

    @Override
    public void delete(Connection c, int id) throws SQLException {
      // The VPC's default group comes with its rules' rows (recorded by the apply that made the VPC).
      Sql.exec(c, "DELETE FROM security_group_rule WHERE security_group_id IN (SELECT id FROM security_group"
          + " WHERE vpc_id = ?)", id);
      Sql.exec(c, "DELETE FROM security_group WHERE vpc_id = ?", id);
      Sql.exec(c, "DELETE FROM subnet WHERE vpc_id = ?", id);
      Sql.exec(c, "DELETE FROM vpc WHERE id = ?", id);
    }

    @Override
    public Map<String, String> cloud(Clouds clouds, String prefix) {
      Map<String, String> out = new HashMap<>();
      clouds.ec2.describeVpcsPaginator(b -> b.filters(Filter.builder().name("tag:name").values(prefix + "*")
          .build())).vpcs().forEach(v -> out.put(v.vpcId(), v.tags().stream()
              .filter(t -> t.key().equals("name")).findFirst().orElseThrow().value()));
      return out;
    }
  }

  /** A kit table whose resources are known by a name column: inserted with the name alone. */
  private record Named(String module, String table, String nameSql, String idSql,
      java.util.function.BiFunction<Clouds, String, Map<String, String>> lister) implements Kind {
    @Override
    public void insert(Connection c, String name, int n) throws SQLException {
      Sql.exec(c, "INSERT INTO public." + table + " (" + nameSql + ") VALUES (?)", name);
    }

    @Override
    public Map<String, String> cloud(Clouds clouds, String prefix) {
      return lister.apply(clouds, prefix);
    }
  }

  /** The SDK clients the count reads moto with, as this test's account. */
  private record Clouds(Ec2Client ec2, CloudWatchLogsClient logs, SqsClient sqs, SecretsManagerClient secrets)
      implements AutoCloseable {
    static Clouds of(Moto moto) {
      StaticCredentialsProvider keys = StaticCredentialsProvider.create(AwsBasicCredentials.create(
          moto.account().accessKeyId(), moto.account().secretAccessKey()));
      URI endpoint = URI.create(moto.endpoint());
      Region region = Region.of(REGION);
      return new Clouds(
          Ec2Client.builder().endpointOverride(endpoint).credentialsProvider(keys).region(region).build(),
          CloudWatchLogsClient.builder().endpointOverride(endpoint).credentialsProvider(keys).region(region).build(),
          SqsClient.builder().endpointOverride(endpoint).credentialsProvider(keys).region(region).build(),
          SecretsManagerClient.builder().endpointOverride(endpoint).credentialsProvider(keys).region(region).build());
    }

    @Override
    public void close() {
      ec2.close();
      logs.close();
      sqs.close();
      secrets.close();
    }
  }

  /** Per table, "table: id" of each leaked resource, "table: name" of each duplicated name, "table row id" lost. */
  record Count(int resources, List<String> leaked, List<String> duplicated, List<String> lost) {}

  private static Count count(Connection c, String prefix, Moto moto) throws SQLException {
    int resources = 0;
    List<String> leaked = new ArrayList<>();
    List<String> duplicated = new ArrayList<>();
    List<String> lost = new ArrayList<>();
    try (Clouds clouds = Clouds.of(moto)) {
      for (Kind k : kinds(c)) {
        Map<String, String> cloud = k.cloud(clouds, prefix);
        resources += cloud.size();
        Map<String, Long> names = new HashMap<>();
        cloud.values().forEach(n -> names.merge(n, 1L, Long::sum));
        names.forEach((n, times) -> {
          if (times > 1) {
            duplicated.add(k.table() + ": " + n + " x" + times);
          }
        });
        Set<String> rowIds = new HashSet<>();
        for (Map<String, Object> r : Sql.rows(c, "SELECT id, " + k.idSql() + " AS cloud_id FROM public." + k.table()
            + " WHERE " + k.nameSql() + " LIKE ?", prefix + "%")) {
          String id = (String) r.get("cloud_id");
          if (id == null || !cloud.containsKey(id)) {
            lost.add(k.table() + " row " + r.get("id") + " (" + id + ")");
          } else {
            rowIds.add(id);
          }
        }
        cloud.keySet().stream().filter(id -> !rowIds.contains(id)).forEach(id -> leaked.add(k.table() + ": " + id + " " + cloud.get(id)));
      }
    }
    return new Count(resources, leaked, duplicated, lost);
  }
}
