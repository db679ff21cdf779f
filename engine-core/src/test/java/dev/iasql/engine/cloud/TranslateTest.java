package dev.iasql.engine.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.spi.CloudException;
import org.junit.jupiter.api.Test;

/** Cloud failures become engine errors with the cloud module's own code and the hint of the release that raised them. */
class TranslateTest {
  @Test
  void anUnreachableEndpointHasTheCloudsCodeAndKeepsTheProvidersHint() {
    EngineException e = Reconciler.translate(new CloudException(CloudException.Kind.UNREACHABLE,
        "SdkClientException", "DescribeVpcs in us-east-1 failed: cannot reach the AWS endpoint: ...",
        "start the server with --aws-endpoint URL", null), "INSERT INTO aws_credentials ...", MemoryCode.CLOUD);
    assertThat(e.code()).isEqualTo(MemoryCode.UNREACHABLE);
    assertThat(e.hint()).contains("start the server with --aws-endpoint URL");
  }

  @Test
  void credentialsErrorsNameTheReleasesOwnTable() {
    EngineException e = Reconciler.translate(new CloudException(CloudException.Kind.CREDENTIALS, "AuthFailure",
        "DescribeVpcs failed: AuthFailure", null), "INSERT INTO aws_account (access_key_id, ...)", MemoryCode.CLOUD);
    assertThat(e.code()).isEqualTo(MemoryCode.CREDENTIALS);
    assertThat(e.hint()).get().asString().contains("aws_account").doesNotContain("aws_credentials");
  }
}
