package dev.iasql.aws.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.iasql.aws.kit.ModuleConformance;
import dev.iasql.engine.kit.TableSpec;
import dev.iasql.aws.MotoClient;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code aws_sqs}'s {@code queue} passes the kit's conformance suite, and its own cases. */
class QueueConformanceTest extends ModuleConformance {
  @Override
  protected String module() {
    return "aws_sqs";
  }

  @Override
  protected TableSpec spec() {
    return Queues.SPEC;
  }

  @Override
  protected Map<String, Object> sample(String name) {
    return Map.of("name", name, "visibility_timeout", 45);
  }

  @Override
  protected Map<String, Object> inPlaceChange(String name) {
    return Map.of("visibility_timeout", 120, "delay_seconds", 5);
  }

  @Override
  protected Map<String, Object> replacingChange(String name) {
    return Map.of("name", name + "-renamed");
  }

  @Override
  protected String replaceReason() {
    return "name cannot change in place";
  }

  @Override
  protected Set<String> cloudNames(Moto.Keys keys, String region) {
    try (SqsClient sqs = client(keys, region)) {
      return sqs.listQueuesPaginator(b -> { }).queueUrls().stream().map(u -> u.substring(u.lastIndexOf('/') + 1))
          .collect(Collectors.toSet());
    }
  }

  @Override
  protected void createOutOfBand(Moto.Keys keys, String region, String name) {
    try (SqsClient sqs = client(keys, region)) {
      sqs.createQueue(b -> b.queueName(name).attributesWithStrings(Map.of("VisibilityTimeout", "45")));
    }
  }

  @Override
  protected void deleteOutOfBand(Moto.Keys keys, String region, String name) {
    try (SqsClient sqs = client(keys, region)) {
      sqs.deleteQueue(b -> b.queueUrl(sqs.getQueueUrl(q -> q.queueName(name)).queueUrl()));
    }
  }

  @Test
  void awsValidationErrorsReachTheUserWithTheRowNamed() throws Exception {
    String name = "plain-" + UUID.randomUUID();
    Sql.exec(tenant(), "INSERT INTO queue (name, fifo_queue) VALUES (?, true)", name);
    PSQLException e = Sql.failure(tenant(), "SELECT * FROM iasql_apply()");
    assertThat(e.getServerErrorMessage().getDetail()).as("the table, row id and name, then AWS's own words")
        .matches("(?s).*queue \\d+ \\(" + name + "\\): create: CreateQueue in us-east-1 failed:"
            + " InvalidParameterValue: Queue name must end in .fifo for FIFO queues.*");
    assertThat(Sql.failure(tenant(), "INSERT INTO queue (name, visibility_timeout) VALUES ('q', 50000)")
        .getMessage()).as("AWS's documented range, refused at INSERT").contains("queue_visibility_timeout_check");
    assertThat(Sql.failure(tenant(), "INSERT INTO queue (name) VALUES ('no spaces')").getMessage())
        .contains("queue_name_check");
  }

  @Test
  void aRegionChangeReplacesTheQueue() throws Exception {
    String name = "moving-" + UUID.randomUUID();
    Sql.exec(tenant(), "UPDATE aws_regions SET is_enabled = true WHERE region = ?", OTHER_REGION);
    Sql.rows(tenant(), "SELECT * FROM iasql_sync()");
    Sql.exec(tenant(), "INSERT INTO queue (name) VALUES (?)", name);
    Sql.rows(tenant(), "SELECT * FROM iasql_apply()");
    Sql.exec(tenant(), "UPDATE queue SET region = ? WHERE name = ?", OTHER_REGION, name);
    assertThat(Sql.rows(tenant(), "SELECT * FROM iasql_preview_apply()"))
        .extracting(r -> r.get("action"), r -> r.get("description"))
        .containsExactly(tuple("replace", name + ": region us-east-1 → eu-west-1 (region cannot change in place)"));
    Sql.rows(tenant(), "SELECT * FROM iasql_apply()");
    assertThat(cloudNames(Moto.start().account(), REGION)).doesNotContain(name);
    assertThat(cloudNames(Moto.start().account(), OTHER_REGION)).contains(name);
    assertThat((String) Sql.value(tenant(), "SELECT arn FROM queue WHERE name = ?", name)).contains(OTHER_REGION);
  }

  private static SqsClient client(Moto.Keys keys, String region) {
    return MotoClient.of(SqsClient.builder(), keys, region);
  }
}
