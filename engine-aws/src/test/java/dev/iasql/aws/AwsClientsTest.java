package dev.iasql.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.testkit.Moto;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

/** The client cache against moto: what is shared, what is not, and that evicted clients are closed. */
class AwsClientsTest {
  private static final String REGION = "us-east-1";
  private static Moto moto;
  private AwsClients clients;

  @BeforeAll
  static void startMoto() {
    moto = Moto.start();
  }

  @BeforeEach
  void newCache() {
    clients = new AwsClients(AwsClients.IDLE, 100, AwsClients.CALL_TIMEOUT);
  }

  @AfterEach
  void closeCache() {
    clients.close();
  }

  private static AwsKeys keys(Moto.Keys k) {
    return new AwsKeys(k.accessKeyId(), k.secretAccessKey(), null);
  }

  private static String accountOf(StsClient sts) {
    return sts.getCallerIdentity().account();
  }

  @Test
  void sameDatabaseKeysRegionAndTypeGiveTheSameClient() {
    AwsKeys k = keys(moto.account());
    Ec2Client ec2 = clients.client(Ec2Client.class, "db1", k, REGION);
    assertThat(clients.client(Ec2Client.class, "db1", keys(moto.account()), REGION)).isSameAs(ec2);
    assertThat(clients.client(StsClient.class, "db1", k, REGION)).isNotSameAs(ec2);
    assertThat(clients.size()).isEqualTo(2);
  }

  @Test
  void anotherDatabaseKeysOrRegionGiveAnotherClient() {
    AwsKeys k = keys(moto.account());
    StsClient sts = clients.client(StsClient.class, "db1", k, REGION);
    assertThat(clients.client(StsClient.class, "db2", k, REGION)).as("database").isNotSameAs(sts);
    assertThat(clients.client(StsClient.class, "db1", keys(moto.secondAccount()), REGION)).as("keys")
        .isNotSameAs(sts);
    assertThat(clients.client(StsClient.class, "db1", new AwsKeys(k.accessKeyId(), k.secretAccessKey(), "token"),
        REGION)).as("session token").isNotSameAs(sts);
    assertThat(clients.client(StsClient.class, "db1", k, "eu-west-1")).as("region").isNotSameAs(sts);
    assertThat(clients.size()).isEqualTo(5);
    assertThat(accountOf(clients.client(StsClient.class, "db1", keys(moto.secondAccount()), REGION)))
        .isEqualTo(Moto.SECOND_ACCOUNT_ID);
    assertThat(accountOf(sts)).isEqualTo(Moto.ACCOUNT_ID);
  }

  @Test
  void evictingADatabaseClosesItsClientsAndNoOther() {
    AwsKeys k = keys(moto.account());
    StsClient gone = clients.client(StsClient.class, "db1", k, REGION);
    StsClient kept = clients.client(StsClient.class, "db2", k, REGION);
    assertThat(accountOf(gone)).isEqualTo(Moto.ACCOUNT_ID);

    clients.evictDatabase("db1");

    assertThat(clients.size()).isEqualTo(1);
    assertClosed(gone);
    assertThat(accountOf(kept)).isEqualTo(Moto.ACCOUNT_ID);
    StsClient again = clients.client(StsClient.class, "db1", k, REGION);
    assertThat(again).isNotSameAs(gone);
    assertThat(accountOf(again)).isEqualTo(Moto.ACCOUNT_ID);
  }

  @Test
  void idleClientsAreClosedOnceCallsInFlightCouldHaveEnded() throws Exception {
    try (AwsClients shortLived = new AwsClients(Duration.ofMillis(50), 100, Duration.ofMillis(500))) {
      StsClient sts = shortLived.client(StsClient.class, "db1", keys(moto.account()), REGION);
      Thread.sleep(150);
      assertThat(shortLived.size()).as("evicted").isZero();
      assertThat(shortLived.closing()).isEqualTo(1);
      assertThat(accountOf(sts)).as("still usable by whoever holds it").isEqualTo(Moto.ACCOUNT_ID);
      assertThat(shortLived.client(StsClient.class, "db1", keys(moto.account()), REGION)).isNotSameAs(sts);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (shortLived.closing() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(shortLived.closing()).isZero();
      assertClosed(sts);
    }
  }

  @Test
  void theCacheIsBoundedAndCloseClosesEvenClientsWaitingToClose() {
    StsClient first;
    try (AwsClients small = new AwsClients(AwsClients.IDLE, 2, AwsClients.CALL_TIMEOUT)) {
      first = small.client(StsClient.class, "db0", keys(moto.account()), REGION);
      for (String db : new String[] {"db1", "db2", "db3", "db4"}) {
        small.client(StsClient.class, db, keys(moto.account()), REGION);
      }
      assertThat(small.size()).isLessThanOrEqualTo(2);
      assertThat(small.closing()).isGreaterThanOrEqualTo(2);
    }
    assertClosed(first);
  }

  /**
   * The SDK's own timer started up to five threads per client and kept them while the client lived: 1,000 parked
   * threads with 200 busy databases, each scanned at every collection. A client here has one timer thread while it
   * calls, none once idle, and none once closed.
   */
  @Test
  void aClientHoldsATimerThreadOnlyWhileItCalls() throws Exception {
    long sdkTimersBefore = threads("sdk-ScheduledExecutor");
    try (AwsClients quick = new AwsClients(AwsClients.IDLE, 100, AwsClients.CALL_TIMEOUT, Duration.ofMillis(300))) {
      List<StsClient> made = new java.util.ArrayList<>();
      for (int i = 0; i < 10; i++) {
        StsClient sts = quick.client(StsClient.class, "db" + i, keys(moto.account()), REGION);
        assertThat(accountOf(sts)).isEqualTo(moto.account().accountId());
        made.add(sts);
      }
      assertThat(threads("sdk-ScheduledExecutor")).as("timer threads of the SDK's own").isEqualTo(sdkTimersBefore);
      assertThat(threads("iasql-aws-timer")).as("timer threads of 10 clients").isLessThanOrEqualTo(10);
      awaitThreads("iasql-aws-timer", 0);
      assertThat(accountOf(made.get(0))).as("an idle client calls again").isEqualTo(moto.account().accountId());
      quick.evictDatabase("db0");
      assertClosed(made.get(0));
    }
    awaitThreads("iasql-aws-timer", 0);
  }

  private static long threads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix) && t.isAlive())
        .count();
  }

  private static void awaitThreads(String prefix, long count) throws InterruptedException {
    for (int i = 0; i < 100 && threads(prefix) != count; i++) {
      Thread.sleep(50);
    }
    assertThat(threads(prefix)).as(prefix + " threads").isEqualTo(count);
  }

  private static void assertClosed(StsClient sts) {
    // A closed SDK client refuses work: its timeout scheduler is shut down.
    assertThatThrownBy(() -> accountOf(sts))
        .isInstanceOfAny(IllegalStateException.class, RejectedExecutionException.class);
  }

  @Test
  void unknownTypesBlankRegionsAndAClosedCacheAreRefused() {
    AwsKeys k = keys(moto.account());
    assertThatThrownBy(() -> clients.client(String.class, "db1", k, REGION))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.String")
        .hasMessageContaining("is not a synchronous AWS SDK client");
    assertThatThrownBy(() -> clients.client(software.amazon.awssdk.services.sqs.SqsAsyncClient.class, "db1", k,
        REGION)).as("an asynchronous client").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> clients.client(Ec2Client.class, "db1", k, " "))
        .isInstanceOf(IllegalArgumentException.class);
    StsClient sts = clients.client(StsClient.class, "db1", k, REGION);
    clients.close();
    assertThatThrownBy(() -> clients.client(Ec2Client.class, "db1", k, REGION)).as("the engine closed them")
        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ENGINE_STOPPED));
    assertClosed(sts);
  }

  /** A module gets any SDK client it depends on (here SQS, which no module of ours uses yet), not a fixed list. */
  @Test
  void anySynchronousSdkClientIsBuiltWithTheCachesSettings() {
    AwsKeys k = keys(moto.account());
    software.amazon.awssdk.services.sqs.SqsClient sqs =
        clients.client(software.amazon.awssdk.services.sqs.SqsClient.class, "db1", k, REGION);
    String name = "clients-" + System.nanoTime();
    String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
    assertThat(sqs.listQueues(b -> b.queueNamePrefix(name)).queueUrls()).containsExactly(url);
    assertThat(clients.client(software.amazon.awssdk.services.sqs.SqsClient.class, "db1", k, REGION))
        .as("cached like every other client").isSameAs(sqs);
    sqs.deleteQueue(b -> b.queueUrl(url));
  }

  @Test
  void keysNeverShowTheirSecrets() {
    AwsKeys k = new AwsKeys("AKIAEXAMPLE", "very-secret", "session-secret");
    assertThat(k.toString()).contains("AKIAEXAMPLE").doesNotContain("very-secret").doesNotContain("session-secret");
    assertThat(new AwsKeys("AKIAEXAMPLE", "very-secret", " ").sessionToken()).as("blank token").isNull();
    assertThat(k.fingerprint()).isNotEqualTo(new AwsKeys("AKIAEXAMPLE", "very-secre", "tsession-secret")
        .fingerprint()).doesNotContain("very-secret");
    AwsContext ctx = AwsContext.of(clients, "db1", k, List.of(REGION), REGION);
    assertThat(ctx.toString()).contains("db1").contains("AKIAEXAMPLE").doesNotContain("very-secret")
        .doesNotContain("session-secret");
  }
}
