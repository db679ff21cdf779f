package dev.iasql.aws;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Readies the AWS SDK while the engine starts. In a fresh JVM the first cloud call costs over a second more than the
 * next (classes of the HTTP transport, the signer, endpoint rules, the EC2 protocol and each operation's shapes; JIT):
 * a newcomer's first sync was the slowest step they saw. The EC2 reads of a sync, answered by a loopback socket of
 * our own, run that whole path once: nothing goes to AWS or to the engine's endpoint, and the calls use a client,
 * transport and credentials of their own, so no database's client, metric or request count sees them. (The SDK's
 * global interceptors, found on the class path, do see them.)
 */
final class WarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
  /** What the loopback answers: an EC2 reply with nothing in it, which every EC2 read accepts. */
  private static final byte[] EMPTY_REPLY = ("<DescribeRegionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
      + "<requestId>iasql-warm-up</requestId><regionInfo/></DescribeRegionsResponse>").getBytes(StandardCharsets.UTF_8);
  /** The same for a JSON protocol: an object with nothing in it. */
  private static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);

  private WarmUp() {}

  /** Starts warming up in the background (the engine's start does not wait for it); completes with {@link #run}'s. */
  static CompletableFuture<Boolean> start(AwsSettings settings) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    Thread t = new Thread(() -> done.complete(run(settings)), "iasql-aws-warm-up");
    t.setDaemon(true);
    t.start();
    return done;
  }

  /** Makes the one call; returns whether it went through (a failure only leaves the first real call slower). */
  static boolean run(AwsSettings settings) {
    long start = System.nanoTime();
    try (ServerSocket loopback = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        SdkHttpClient http = ApacheHttpClient.builder().connectionTimeout(settings.connectTimeout())
            .socketTimeout(settings.attemptTimeout()).build();
        Ec2Client ec2 = client(Ec2Client.builder(), loopback, http, settings)) {
      loopback.setSoTimeout((int) settings.attemptTimeout().toMillis());
      Thread answer = new Thread(() -> answer(loopback), "iasql-aws-warm-up-loopback");
      answer.setDaemon(true);
      answer.start();
      // What a sync of the built-in modules reads: the account's regions, then the VPC module's and the groups'.
      ec2.describeRegions();
      ec2.describeAvailabilityZones();
      ec2.describeVpcs();
      ec2.describeSubnets();
      ec2.describeSecurityGroups();
      ec2.describeSecurityGroupRules(r -> {});
      // The JSON protocols (CloudWatch Logs, SQS, Secrets Manager) have transports and shapes of their own.
      try (CloudWatchLogsClient logs = client(CloudWatchLogsClient.builder(), loopback, http, settings);
          SqsClient sqs = client(SqsClient.builder(), loopback, http, settings);
          SecretsManagerClient secrets = client(SecretsManagerClient.builder(), loopback, http, settings)) {
        logs.describeLogGroups();
        sqs.listQueues();
        secrets.listSecrets();
      }
      loopback.close();
      answer.join();
      LOG.debug("warmed the AWS SDK up in {} ms", (System.nanoTime() - start) / 1_000_000);
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.debug("warming the AWS SDK up failed after {} ms: {}", (System.nanoTime() - start) / 1_000_000,
          e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A client of the warm-up's own: its loopback, transport and made-up keys, and a single attempt. */
  private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder,
      ServerSocket loopback, SdkHttpClient http, AwsSettings settings) {
    return builder.endpointOverride(URI.create("http://127.0.0.1:" + loopback.getLocalPort()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIAIASQLWARMUP00000", "warm-up, never sent anywhere")))
        .httpClient(http)
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.forRetryMode(settings.retryMode())
            .toBuilder().maxAttempts(1).build()))
        .build();
  }

  /** Answers each connection's request with {@link #EMPTY_REPLY} until the loopback is closed. */
  private static void answer(ServerSocket loopback) {
    while (!loopback.isClosed()) {
      try (Socket s = loopback.accept()) {
        answerOne(s);
      } catch (IOException | RuntimeException e) {
        if (!loopback.isClosed()) {
          LOG.debug("the warm-up's loopback failed: {}", e.toString());
          return;
        }
      }
    }
  }

  /** Reads one HTTP request (headers, then the body by its length) and sends {@link #EMPTY_REPLY}. */
  private static void answerOne(Socket s) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
    int length = 0;
    boolean json = false;
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      }
      json |= lower.startsWith("x-amz-target:"); // the JSON protocols name the operation in this header
    }
    for (int left = length; left > 0 && in.read() >= 0; left--) {
      // the body (form-encoded, so one char a byte): read whole before answering
    }
    OutputStream out = s.getOutputStream();
    byte[] reply = json ? EMPTY_JSON : EMPTY_REPLY;
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + (json ? "application/x-amz-json-1.1" : "text/xml;charset=UTF-8")
        + "\r\nContent-Length: " + reply.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(reply);
    out.flush();
  }
}
