package dev.iasql.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iasql.engine.spi.CloudException;
import dev.iasql.testkit.Moto;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

/** How real AWS SDK failures (from moto, or from no server at all) become {@link CloudException}s. */
class AwsErrorsTest {
  private static final String REGION = "eu-west-1";
  private static Moto moto;
  private final AwsClients clients = new AwsClients(AwsClients.IDLE, 100, AwsClients.CALL_TIMEOUT);

  @BeforeAll
  static void startMoto() {
    moto = Moto.start();
  }

  @AfterEach
  void closeCache() {
    clients.close();
  }

  private <T> T client(Class<T> type, Moto.Keys k) {
    return clients.client(type, "db", new AwsKeys(k.accessKeyId(), k.secretAccessKey(), null), REGION);
  }

  @Test
  void unknownKeysAreACredentialsErrorThatNamesTheRequestButNoSecret() {
    Ec2Client ec2 = client(Ec2Client.class, Moto.invalidKeys());
    CloudException e = catchThrowableOfType(CloudException.class,
        () -> AwsErrors.call("DescribeRegions", REGION, () -> ec2.describeRegions()));
    assertThat(e.kind()).isEqualTo(CloudException.Kind.CREDENTIALS);
    assertThat(e.errorCode()).isEqualTo("AuthFailure");
    assertThat(e.getMessage()).startsWith("DescribeRegions in eu-west-1 failed: AuthFailure: ")
        .doesNotContain(Moto.invalidKeys().secretAccessKey());
  }

  /** moto's STS answers in a format the SDK reads no error code from; a 403 without a code is still the keys. */
  @Test
  void unknownKeysOnAGlobalServiceAreACredentialsErrorToo() {
    StsClient sts = client(StsClient.class, Moto.invalidKeys());
    CloudException e = catchThrowableOfType(CloudException.class,
        () -> AwsErrors.call("GetCallerIdentity", null, () -> sts.getCallerIdentity()));
    assertThat(e.kind()).as(e.getMessage()).isEqualTo(CloudException.Kind.CREDENTIALS);
    assertThat(e.getMessage()).startsWith("GetCallerIdentity failed: " + e.errorCode() + ": ")
        .doesNotContain(Moto.invalidKeys().secretAccessKey());
  }

  @Test
  void aRefusedRequestIsARequestErrorWithTheAwsCode() {
    Ec2Client ec2 = client(Ec2Client.class, moto.account());
    CloudException e = catchThrowableOfType(CloudException.class,
        () -> AwsErrors.run("DescribeVpcs", REGION, () -> ec2.describeVpcs(r -> r.vpcIds("vpc-00000000"))));
    assertThat(e.kind()).isEqualTo(CloudException.Kind.REQUEST);
    assertThat(e.errorCode()).isEqualTo("InvalidVpcID.NotFound");
    assertThat(e.getMessage()).startsWith("DescribeVpcs in eu-west-1 failed: InvalidVpcID.NotFound: ")
        .contains("vpc-00000000");
    assertThat(AwsErrors.errorCode((SdkException) e.getCause()))
        .isEqualTo("InvalidVpcID.NotFound");
  }

  @Test
  void deletingWhatIsAlreadyGoneIsFineAndOtherFailuresStillFail() {
    Ec2Client ec2 = client(Ec2Client.class, moto.account());
    AwsErrors.delete("DeleteVpc", REGION, Set.of("InvalidVpcID.NotFound"), () -> ec2.deleteVpc(r -> r.vpcId("vpc-0")));
    CloudException e = catchThrowableOfType(CloudException.class, () -> AwsErrors.delete("DeleteVpc", REGION,
        Set.of("InvalidGroup.NotFound"), () -> ec2.deleteVpc(r -> r.vpcId("vpc-0"))));
    assertThat(e.errorCode()).isEqualTo("InvalidVpcID.NotFound");
  }

  @Test
  void aClosedPortIsAnUnreachableEndpointNamedWithTheOptionThatChangesIt() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    CloudException e = unreachable("http://127.0.0.1:" + closedPort);
    assertThat(e.errorCode()).isEqualTo("SdkClientException");
    assertThat(e.getMessage()).startsWith("DescribeRegions in eu-west-1 failed: cannot reach the AWS endpoint: ")
        .contains("127.0.0.1:" + closedPort);
    assertThat(AwsErrors.errorCode((SdkException) e.getCause())).isNull();
  }

  @Test
  void aNameThatDoesNotResolveIsAnUnreachableEndpointToo() {
    CloudException e = unreachable("http://ec2.no-such-host.invalid");
    assertThat(e.getMessage()).contains("UnknownHostException", "no-such-host.invalid");
  }

  private static CloudException unreachable(String endpoint) {
    try (Ec2Client ec2 = Ec2Client.builder().region(Region.of(REGION))
        .endpointOverride(URI.create(endpoint))
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1))).build()) {
      CloudException e = catchThrowableOfType(CloudException.class,
          () -> AwsErrors.call("DescribeRegions", REGION, () -> ec2.describeRegions()));
      assertThat(e.kind()).as(e.getMessage()).isEqualTo(CloudException.Kind.UNREACHABLE);
      assertThat(e.hint()).get().asString().contains("--aws-endpoint", "AWS_ENDPOINT_URL");
      return e;
    }
  }
}
