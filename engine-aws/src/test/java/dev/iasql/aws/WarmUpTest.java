package dev.iasql.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The AWS SDK is readied while the engine starts (issue 15: the first sync after start cost 1.3-1.7 s more than the
 * second; the FirstSync bench measures that). The warm-up runs EC2 and JSON-protocol calls through the SDK's whole
 * path against a loopback of its own: it must go through, and it must not need the engine's endpoint (nor AWS) to.
 */
@ExtendWith(IasqlExtension.class)
class WarmUpTest {
  /** Nothing listens there: a call that went to the engine's endpoint would fail at once. */
  private static final URI NOWHERE = URI.create("http://127.0.0.1:1");

  @Test
  void anEngineWarmsTheSdkUpAsItStartsWithoutCallingItsEndpoint(PostgresCluster cluster) throws Exception {
    AwsEngineExtension aws = AwsEngineExtension.with(AwsSettings.builder().endpoint(NOWHERE).maxAttempts(1).build());
    try (Engine engine = Engine.configure().postgres(cluster).discoverExtensions(false).extension(aws)
        .reconcileEvery(Duration.ofHours(1)).build()) {
      assertThat(aws.warmUp().get(1, TimeUnit.MINUTES))
          .as("the warm-up's EC2, CloudWatch Logs, SQS and Secrets Manager calls went through").isTrue();
    }
  }
}
