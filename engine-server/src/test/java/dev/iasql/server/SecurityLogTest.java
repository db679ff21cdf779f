package dev.iasql.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.MDC;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * What reaches the server's log: values users typed are escaped onto their own line (no forged lines, no terminal
 * escapes) and bounded, and no log level prints AWS credentials. Checked on the real output of the program's own
 * {@code logback.xml}: in this JVM for each converter, and end to end on {@code iasql serve} at DEBUG with a tenant.
 */
class SecurityLogTest {
  private static final String FORGED = "x\n2026-12-06T05:00:00.000Z INFO  [main] d.i.e.Engine - fake line";

  @TempDir Path temp;

  @Test
  void messagesMdcValuesAndExceptionMessagesStayOnTheirLine() throws Exception {
    String log = capture("INFO", context -> {
      Logger logger = context.getLogger(SecurityLogTest.class);
      try (var db = MDC.putCloseable("db", "prod\r\nINJECTED mdc line");
          var module = MDC.putCloseable("module", "\u001b[31mred")) {
        logger.info("install of {} failed", FORGED);
        logger.warn("internal error", new IllegalStateException(FORGED, new RuntimeException("cause\nforged cause")));
      }
    });
    assertThat(log.lines()).as(log).noneMatch(l -> l.startsWith("2026-12-06T05:00:00.000Z"))
        .noneMatch(l -> l.startsWith("INJECTED")).noneMatch(l -> l.startsWith("forged cause"));
    assertThat(log).doesNotContain("\u001b", "\r")
        .contains("install of x\\n2026-12-06T05:00:00.000Z INFO  [main] d.i.e.Engine - fake line failed")
        .contains(" db=prod\\r\\nINJECTED mdc line", " module=\\u001b[31mred")
        .contains("java.lang.IllegalStateException: x\\n2026-12-06T05:00:00.000Z INFO")
        .contains("Caused by: java.lang.RuntimeException: cause\\nforged cause")
        .containsPattern("(?m)^\\tat dev\\.iasql\\.server\\.SecurityLogTest");
  }

  @Test
  void aHugeMessageIsCut() throws Exception {
    String huge = "b".repeat(10 * 1024 * 1024);
    String log = capture("INFO", context -> context.getLogger("dev.iasql.functions.Worker").info("unknown module {}", huge));
    assertThat(log.length()).isLessThan(10_000);
    assertThat(log).contains("… (" + (10 * 1024 * 1024 + "unknown module ".length() - 8192) + " more characters)");
  }

  @Test
  void theAwsSdkAndItsHttpClientStayBelowDebugAtEveryLevel() throws Exception {
    String log = capture("TRACE", context -> {
      for (String name : new String[] {"software.amazon.awssdk.auth.signer.Aws4Signer",
          "software.amazon.awssdk.http.auth.aws.internal.signer.DefaultV4RequestSigner", "software.amazon.awssdk.request",
          "org.apache.http.wire", "org.apache.http.headers", "org.apache.hc.client5.http.wire"}) {
        Logger l = context.getLogger(name);
        l.debug("x-amz-security-token:TOKEN-{}", name);
        l.trace("Authorization: AWS4-HMAC-SHA256 Signature=SIG-{}", name);
        assertThat(l.isDebugEnabled()).as(name).isFalse();
      }
      context.getLogger("software.amazon.awssdk.request").info("still at INFO");
      context.getLogger("software.amazon.awssdkx").debug("a different library");
      context.getLogger("dev.iasql.aws.AwsClients").debug("our own debug line");
    });
    assertThat(log).doesNotContain("TOKEN-", "SIG-").contains("still at INFO", "a different library",
        "our own debug line");
  }

  /**
   * {@code iasql serve} at DEBUG, a tenant with session credentials (moto's STS) in aws_credentials: the AWS calls of
   * install leave neither the secret, nor the session token, nor a request signature in the log, and the tenant's forged
   * log line and terminal escapes arrive escaped.
   */
  @Test
  void aTenantNeitherForgesLogLinesNorFindsCredentialsInADebugLog() throws Exception {
    Moto moto = Moto.start();
    Credentials session = sessionCredentials(moto);
    Path dataDir = temp.resolve("data");
    try (ServerProcess server = ServerProcess.start(dataDir, Map.of("IASQL_LOG_LEVEL", "DEBUG"), "serve",
        "--data-dir", dataDir.toString(), "--port", Integer.toString(ServerProcess.freePort()),
        "--aws-endpoint", moto.endpoint()).awaitReady()) {
      Cli.Result created = Cli.run("db", "create", "tenant", "--data-dir", dataDir.toString());
      assertThat(created.exitCode()).as(created.toString()).isZero();
      try (Connection tenant = ServeAndDbTest.connect(created.lastLine())) {
        PSQLException forged = Sql.failure(tenant, "SELECT * FROM iasql_install(?)", FORGED);
        assertThat(forged.getSQLState()).isEqualTo("IQ201");
        assertThat(Sql.failure(tenant, "SELECT * FROM iasql_install(?)", "\u001b[2J\u001b]0;owned\u0007")
            .getSQLState()).isEqualTo("IQ201");
        Sql.rows(tenant, "SELECT * FROM iasql_install('aws_account')");
        Sql.exec(tenant, "INSERT INTO aws_credentials (access_key_id, secret_access_key, session_token)"
            + " VALUES (?, ?, ?)", session.accessKeyId(), session.secretAccessKey(), session.sessionToken());
        Sql.rows(tenant, "SELECT * FROM iasql_install('aws_vpc')");
        assertThat(Sql.value(tenant, "SELECT count(*) FROM vpc WHERE is_default")).isEqualTo(1L);
      }
      String log = server.log();
      assertThat(log).as("DEBUG is on").contains("DEBUG");
      assertThat(log.lines()).as("no line of the tenant's making")
          .noneMatch(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("2026-12-06t05:00:00.000z info"));
      assertThat(log).contains("there is no module named \"x\\n2026-12-06T05:00:00.000Z INFO  [main] d.i.e.Engine - fake line\"")
          .doesNotContain("\u001b", "\u0007");
      assertThat(log).as("credentials in the server log")
          .doesNotContain(session.secretAccessKey(), session.sessionToken(), "Signature=", "Credential=",
              moto.account().secretAccessKey());
    } finally {
      ServerProcess.stopOrphanedPostgres(dataDir);
    }
  }

  /** Temporary credentials (with a session token) of a role moto lets do anything in its default account. */
  private static Credentials sessionCredentials(Moto moto) {
    StaticCredentialsProvider admin = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(moto.account().accessKeyId(), moto.account().secretAccessKey()));
    String role = "iasql-log-test-" + System.nanoTime();
    try (IamClient iam = IamClient.builder().endpointOverride(URI.create(moto.endpoint())).region(Region.AWS_GLOBAL)
        .credentialsProvider(admin).httpClientBuilder(ApacheHttpClient.builder()).build()) {
      iam.createRole(r -> r.roleName(role).assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{"
          + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}"));
      iam.putRolePolicy(r -> r.roleName(role).policyName("all").policyDocument("{\"Version\":\"2012-10-17\","
          + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"));
    }
    try (StsClient sts = StsClient.builder().endpointOverride(URI.create(moto.endpoint())).region(Region.US_EAST_1)
        .credentialsProvider(admin).httpClientBuilder(ApacheHttpClient.builder()).build()) {
      return sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + Moto.ACCOUNT_ID + ":role/" + role)
          .roleSessionName("log-test")).credentials();
    }
  }

  /** Output of the program's logback.xml at {@code level}, in a logger context of its own, of what {@code body} logs. */
  private static String capture(String level, Consumer<LoggerContext> body) throws Exception {
    URL config = SecurityLogTest.class.getClassLoader().getResource("logback.xml");
    assertThat(config).as("the program's logback.xml").isNotNull();
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter());
    context.putProperty("IASQL_LOG_LEVEL", level);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream err = System.err;
    System.setErr(new PrintStream(out, true, UTF_8));
    try {
      configurator.doConfigure(config);
      body.accept(context);
    } finally {
      context.stop();
      System.setErr(err);
    }
    return out.toString(UTF_8);
  }
}
