package dev.iasql.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.sts.StsClient;

class AwsRequestsTest {
  private static final String INTERCEPTORS = "software/amazon/awssdk/global/handlers/execution.interceptors";

  @Test
  void countsByOperationAndRegionAndFindsRepeatedPages() {
    AwsRequests log = new AwsRequests();
    log.sent(new AwsRequest("Ec2", "DescribeVpcs", "us-east-1", null));
    log.sent(new AwsRequest("Ec2", "DescribeVpcs", "eu-west-1", null));
    log.sent(new AwsRequest("Ec2", "DescribeSecurityGroups", "us-east-1", null));
    log.sent(new AwsRequest("Ec2", "DescribeSecurityGroups", "us-east-1", "page-2"));
    log.sent(new AwsRequest("Ec2", "DescribeSecurityGroups", "us-east-1", "page-2"));
    log.sent(new AwsRequest("Sts", "GetCallerIdentity", null, null));
    log.failed("DescribeSecurityGroups", 503);

    AwsRequests.Snapshot s = log.snapshot();

    assertThat(s.total()).isEqualTo(6);
    assertThat(s.byOperation()).containsExactly(Map.entry("DescribeSecurityGroups", 3L),
        Map.entry("DescribeVpcs", 2L), Map.entry("GetCallerIdentity", 1L));
    assertThat(s.byOperationAndRegion()).containsEntry("DescribeVpcs eu-west-1", 1L)
        .containsEntry("DescribeSecurityGroups us-east-1", 3L).containsEntry("GetCallerIdentity -", 1L);
    assertThat(s.continuations()).isEqualTo(2);
    assertThat(s.repeated()).as("the same page twice; the same operation in two regions is no repeat")
        .containsExactly(Map.entry(new AwsRequest("Ec2", "DescribeSecurityGroups", "us-east-1", "page-2"), 2L));
    assertThat(s.writes()).isEmpty();
    assertThat(s.errors()).containsExactly(Map.entry("DescribeSecurityGroups 503", 1L));
  }

  @Test
  void writesAreWhatIsNeitherDescribeListNorGet() {
    AwsRequests log = new AwsRequests();
    log.sent(new AwsRequest("Ec2", "CreateSecurityGroup", "us-east-1", null));
    log.sent(new AwsRequest("Ec2", "ListImagesInRecycleBin", "us-east-1", null));
    log.sent(new AwsRequest("Ec2", "RevokeSecurityGroupEgress", "us-east-1", null));

    assertThat(log.snapshot().writes()).containsExactly("CreateSecurityGroup", "RevokeSecurityGroupEgress");
  }

  @Test
  void resetForgetsTheRequestsButNotThatThereWereAny() {
    AwsRequests log = new AwsRequests();
    log.sent(new AwsRequest("Ec2", "DescribeVpcs", "us-east-1", null));
    log.failed("DescribeVpcs", 500);
    AwsRequests.Snapshot before = log.snapshot();

    log.reset();

    assertThat(log.snapshot().requests()).isEmpty();
    assertThat(log.snapshot().errors()).isEmpty();
    assertThat(log.ever()).isEqualTo(1);
    assertThat(before.total()).as("a snapshot does not change after a reset").isEqualTo(1);
  }

  @Test
  void theSdkFindsTheInterceptorOnTheClassPath() throws Exception {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(INTERCEPTORS)) {
      assertThat(in).isNotNull();
      List<String> names = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::trim).filter(l -> !l.isEmpty()).toList();
      assertThat(names).containsExactly(CountingInterceptor.class.getName());
      assertThat(ExecutionInterceptor.class.isAssignableFrom(Class.forName(names.get(0)))).isTrue();
    }
  }

  /** A real SDK client, whose every attempt gets a 503: all three attempts are counted, retries included. */
  @Test
  void everyAttemptOfAnyClientIsCountedRetriesIncluded() {
    AtomicInteger served = new AtomicInteger();
    AwsRequests.GLOBAL.reset();
    try (StsClient sts = StsClient.builder()
        .region(Region.EU_WEST_1)
        .endpointOverride(java.net.URI.create("http://127.0.0.1:9"))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClient(new Unavailable(served))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(3).backoffStrategy(BackoffStrategy.retryImmediately()).build()))
        .build()) {
      try {
        sts.getCallerIdentity();
      } catch (SdkException expected) {
        // every attempt failed
      }
    }

    AwsRequests.Snapshot s = AwsRequests.GLOBAL.snapshot();
    assertThat(served).hasValue(3);
    assertThat(s.requests()).containsExactly(
        new AwsRequest("Sts", "GetCallerIdentity", "eu-west-1", null),
        new AwsRequest("Sts", "GetCallerIdentity", "eu-west-1", null),
        new AwsRequest("Sts", "GetCallerIdentity", "eu-west-1", null));
    assertThat(s.errors()).containsExactly(Map.entry("GetCallerIdentity 503", 3L));
    assertThat(AwsRequests.GLOBAL.ever()).isGreaterThanOrEqualTo(3);
  }

  /** An HTTP client that answers every request with 503 Service Unavailable, as STS would when throttled. */
  private static final class Unavailable implements SdkHttpClient {
    private static final byte[] BODY = ("<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code>"
        + "<Message>try again</Message></Error><RequestId>r</RequestId></ErrorResponse>")
        .getBytes(StandardCharsets.UTF_8);
    private final AtomicInteger served;

    Unavailable(AtomicInteger served) {
      this.served = served;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() throws IOException {
          served.incrementAndGet();
          return HttpExecuteResponse.builder()
              .response(SdkHttpResponse.builder().statusCode(503).putHeader("Content-Type", "text/xml").build())
              .responseBody(AbortableInputStream.create(new ByteArrayInputStream(BODY)))
              .build();
        }

        @Override
        public void abort() {}
      };
    }

    @Override
    public void close() {}
  }
}
