package dev.iasql.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.aws.cloudwatch.AwsCloudwatchModule;
import dev.iasql.aws.securitygroup.AwsSecurityGroupModule;
import dev.iasql.aws.sqs.AwsSqsModule;
import dev.iasql.engine.kit.Row;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A table names its AWS service once, in its declaration, and its module declares that client and needs
 * {@code aws_account} without saying either.
 */
class AwsResourcesTest {
  /** Cloud calls never made. */
  static class Queues extends AwsResources<SqsClient> {
    @Override
    protected List<Row> list(Aws<SqsClient> sqs) {
      return List.of();
    }

    @Override
    protected Row create(Aws<SqsClient> sqs, Row desired) {
      return desired;
    }

    @Override
    protected void delete(Aws<SqsClient> sqs, Row actual) {}
  }

  /** The service's type is not in its declaration. */
  static class AnyService<C extends SdkClient> extends AwsResources<C> {
    @Override
    protected List<Row> list(Aws<C> aws) {
      return List.of();
    }

    @Override
    protected Row create(Aws<C> aws, Row desired) {
      return desired;
    }

    @Override
    protected void delete(Aws<C> aws, Row actual) {}
  }

  @Test
  void theClientIsReadFromTheTablesDeclaration() {
    assertThat(new Queues().client()).isEqualTo(SqsClient.class);
    assertThatThrownBy(AnyService<SqsClient>::new).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must extend AwsResources<an SDK client> directly");
  }

  @Test
  void aModuleDeclaresItsTablesClientsAndNeedsTheAccount() {
    assertThat(new AwsSqsModule().awsClients()).containsExactly(SqsClient.class);
    assertThat(new AwsCloudwatchModule().awsClients()).containsExactly(CloudWatchLogsClient.class);
    AwsSecurityGroupModule groups = new AwsSecurityGroupModule();
    assertThat(groups.awsClients()).as("each client once").containsExactly(Ec2Client.class);
    assertThat(groups.dependencies()).extracting(n -> n.value()).containsExactly("aws_account", "aws_vpc");
    assertThat(new AwsSqsModule().dependencies()).extracting(n -> n.value()).containsExactly("aws_account");
  }
}
