package dev.iasql.aws.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.aws.kit.ModuleConformance;
import dev.iasql.engine.kit.TableSpec;
import dev.iasql.aws.MotoClient;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

/** {@code aws_cloudwatch}'s {@code log_group} passes the kit's conformance suite. */
class LogGroupConformanceTest extends ModuleConformance {
  @Override
  protected String module() {
    return "aws_cloudwatch";
  }

  @Override
  protected TableSpec spec() {
    return LogGroups.SPEC;
  }

  @Override
  protected Map<String, Object> sample(String name) {
    return Map.of("log_group_name", name);
  }

  @Override
  protected Map<String, Object> inPlaceChange(String name) {
    return Map.of(); // a log group's only user column is its name
  }

  @Override
  protected Map<String, Object> replacingChange(String name) {
    return Map.of("log_group_name", name + "-renamed");
  }

  @Override
  protected String replaceReason() {
    return "log_group_name cannot change in place";
  }

  @Override
  protected Set<String> cloudNames(Moto.Keys keys, String region) {
    try (CloudWatchLogsClient logs = client(keys, region)) {
      return logs.describeLogGroupsPaginator(b -> { }).logGroups().stream().map(LogGroup::logGroupName)
          .collect(Collectors.toSet());
    }
  }

  @Override
  protected void createOutOfBand(Moto.Keys keys, String region, String name) {
    try (CloudWatchLogsClient logs = client(keys, region)) {
      logs.createLogGroup(b -> b.logGroupName(name));
    }
  }

  @Override
  protected void deleteOutOfBand(Moto.Keys keys, String region, String name) {
    try (CloudWatchLogsClient logs = client(keys, region)) {
      logs.deleteLogGroup(b -> b.logGroupName(name));
    }
  }

  @Test
  void aNameAwsWouldRefuseIsRefusedAtInsert() {
    assertThat(Sql.failure(tenant(), "INSERT INTO log_group (log_group_name) VALUES ('no spaces')").getMessage())
        .contains("log_group_log_group_name_check");
    assertThat(Sql.failure(tenant(), "INSERT INTO log_group (log_group_name) VALUES (repeat('a', 513))")
        .getMessage()).contains("log_group_log_group_name_check");
  }

  private static CloudWatchLogsClient client(Moto.Keys keys, String region) {
    return MotoClient.of(CloudWatchLogsClient.builder(), keys, region);
  }
}
