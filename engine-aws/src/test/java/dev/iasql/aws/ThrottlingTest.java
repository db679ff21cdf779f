package dev.iasql.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.iasql.engine.spi.CloudException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Region;

/**
 * A client of {@link AwsClients} against an EC2 endpoint that throttles: a real HTTP server on the loopback interface
 * answering the EC2 query protocol, no mocked SDK. Throttling is retried with backoff until it stops; when it never
 * stops the call gives up after the SDK's attempts and fails with AWS's throttling code.
 *
 * <p>Each retry here takes a second or two: besides the backoff (full jitter from 1 s for throttling), the adaptive mode
 * drops a client that was throttled to its lowest send rate, 0.5 requests a second. So the successful call is throttled
 * once only; the one that never succeeds takes every attempt the SDK makes.
 */
class ThrottlingTest {
  private static final Logger LOG = LoggerFactory.getLogger(ThrottlingTest.class);
  private static final String REGION = "us-east-1";
  private static final AwsKeys KEYS = new AwsKeys("AKIAIOSFODNN7EXAMPLE", "not-a-real-secret", null);
  /** What EC2 answers a caller over its request rate, with HTTP 503. */
  private static final String THROTTLED = "<Response><Errors><Error><Code>RequestLimitExceeded</Code>"
      + "<Message>Request limit exceeded.</Message></Error></Errors><RequestID>x</RequestID></Response>";
  private static final String REGIONS = "<DescribeRegionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
      + "<requestId>x</requestId><regionInfo><item><regionName>us-east-1</regionName>"
      + "<regionEndpoint>ec2.us-east-1.amazonaws.com</regionEndpoint></item></regionInfo></DescribeRegionsResponse>";
  /** The SDK's attempts per call in the adaptive mode, which {@link AwsClients} does not change: 1 + 2 retries. */
  private static final int MAX_ATTEMPTS = 3;
  private URI endpoint;

  /** When each request arrived (System.nanoTime()), and its body. */
  private final List<Long> attempts = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private volatile int throttled;
  private HttpServer server;
  private AwsClients clients;

  @BeforeEach
  void startEc2() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.start();
    endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    clients = new AwsClients(AwsSettings.builder().endpoint(endpoint).build(), List.of(), AwsClients.IDLE, 10,
        AwsClients.CALL_TIMEOUT);
  }

  @AfterEach
  void stop() {
    clients.close();
    server.stop(0);
  }

  /** Throttles the first {@link #throttled} requests, then answers DescribeRegions. */
  private void answer(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      attempts.add(System.nanoTime());
      bodies.add(new String(in.readAllBytes(), UTF_8));
      boolean throttle = attempts.size() <= throttled;
      byte[] body = (throttle ? THROTTLED : REGIONS).getBytes(UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
      exchange.sendResponseHeaders(throttle ? 503 : 200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private Ec2Client ec2() {
    return clients.client(Ec2Client.class, "db", KEYS, REGION);
  }

  /** Milliseconds between one attempt and the next. */
  private List<Long> delays() {
    List<Long> d = new ArrayList<>();
    for (int i = 1; i < attempts.size(); i++) {
      d.add(TimeUnit.NANOSECONDS.toMillis(attempts.get(i) - attempts.get(i - 1)));
    }
    return d;
  }

  @Test
  void throttlingIsRetriedWithBackoffUntilItStops() {
    throttled = 1;
    List<Region> regions = AwsErrors.call("DescribeRegions", REGION, () -> ec2().describeRegions().regions());

    assertThat(regions).extracting(Region::regionName).containsExactly("us-east-1");
    assertThat(attempts).as("the throttled attempt, then the one answered").hasSize(2);
    assertThat(bodies).allSatisfy(b -> assertThat(b).contains("Action=DescribeRegions"));
    LOG.info("throttled once, then answered; delay between attempts: {} ms", delays());
    assertThat(delays()).as("backoff before retrying, in ms").allSatisfy(d -> assertThat(d).isPositive());
  }

  @Test
  void throttlingThatNeverStopsFailsWithAwsThrottlingCode() {
    throttled = Integer.MAX_VALUE;
    Ec2Client ec2 = ec2();
    CloudException e = catchThrowableOfType(CloudException.class,
        () -> AwsErrors.call("DescribeRegions", REGION, () -> ec2.describeRegions()));

    assertThat(e.errorCode()).isEqualTo("RequestLimitExceeded");
    assertThat(e.kind()).isEqualTo(CloudException.Kind.REQUEST);
    assertThat(e.getMessage())
        .isEqualTo("DescribeRegions in us-east-1 failed: RequestLimitExceeded: Request limit exceeded.");
    assertThat(attempts).as("every attempt the SDK makes, and no more").hasSize(MAX_ATTEMPTS);
    assertThat(bodies).allSatisfy(b -> assertThat(b).contains("Action=DescribeRegions"));
    LOG.info("throttled every time; delays between attempts: {} ms", delays());
    assertThat(delays()).as("backoff before each retry, in ms").allSatisfy(d -> assertThat(d).isPositive());
  }

  /** Retries are an engine's setting: another engine's clients may make more attempts, or fewer. */
  @Test
  void theEngineSettingsSayHowManyAttempts() {
    throttled = Integer.MAX_VALUE;
    try (AwsClients patient = new AwsClients(AwsSettings.builder().endpoint(endpoint).maxAttempts(5).build(),
        List.of(), AwsClients.IDLE, 10, AwsClients.CALL_TIMEOUT)) {
      Ec2Client ec2 = patient.client(Ec2Client.class, "db", KEYS, REGION);
      CloudException e = catchThrowableOfType(CloudException.class,
          () -> AwsErrors.call("DescribeRegions", REGION, () -> ec2.describeRegions()));
      assertThat(e.errorCode()).isEqualTo("RequestLimitExceeded");
      assertThat(attempts).as("the five attempts this engine allows").hasSize(5);
    }
  }
}
