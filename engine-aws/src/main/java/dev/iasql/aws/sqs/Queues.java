package dev.iasql.aws.sqs;

import dev.iasql.aws.AwsResources;
import dev.iasql.engine.kit.Column;
import dev.iasql.engine.kit.ColumnType;
import dev.iasql.engine.kit.CrashSafety;
import dev.iasql.engine.kit.Resources;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.kit.TableSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code queue}, as IaSQL v0.1.9 has it: a queue is known by its name in its region; its name, FIFO mode and region
 * cannot change (the queue is replaced), its other attributes change in place. Limits are AWS's, as CHECKs; what only
 * AWS checks (a FIFO queue's name must end in {@code .fifo}) comes back as AWS's error, naming the row.
 */
final class Queues extends AwsResources<SqsClient> implements Resources.InPlace {
  static final String NAME = "name";

  static final TableSpec SPEC = TableSpec.regional("queue")
      // AWS's rule: 1 to 80 letters, digits, '-' and '_'; a FIFO queue's name ends in .fifo within the 80.
      .column(Column.text(NAME).notNull().replacedOnChange().matches("^[A-Za-z0-9_-]+(\\.fifo)?$").maxLength(80))
      // Not an attribute: SQS refuses FifoQueue=false, so only a FIFO queue's create names it.
      .column(Column.of("fifo_queue", ColumnType.BOOLEAN).notNull().defaultSql("false").replacedOnChange())
      .attribute(number("visibility_timeout", 0, 43_200, 30), "VisibilityTimeout")
      .attribute(number("delay_seconds", 0, 900, 0), "DelaySeconds")
      .attribute(number("receive_message_wait_time_seconds", 0, 20, 0), "ReceiveMessageWaitTimeSeconds")
      .attribute(number("message_retention_period", 60, 1_209_600, 345_600), "MessageRetentionPeriod")
      .attribute(number("maximum_message_size", 1_024, 1_048_576, 262_144), "MaximumMessageSize")
      .attribute(Column.of("policy", ColumnType.JSON), "Policy")
      .attribute(Column.text("arn").cloudAssigned(), "QueueArn")
      .column(Column.text("url").cloudAssigned())
      .cloudId("arn", true)
      .unique("uq_queue_name_region", NAME, TableSpec.REGION)
      .survivesCrashBy(CrashSafety.uniqueName(NAME))
      .build();

  /** An integer attribute, with AWS's documented range and default. */
  private static Column number(String name, int min, int max, int dflt) {
    return Column.of(name, ColumnType.INTEGER).notNull().defaultSql(Integer.toString(dflt)).between(min, max);
  }

  /** SQS has no bulk read of attributes: one list, then one request per queue. */
  @Override
  protected List<Row> list(Aws<SqsClient> sqs) {
    return sqs.call("ListQueues", c -> c.listQueuesPaginator(b -> { }).queueUrls().stream().toList()).stream()
        .map(url -> read(sqs, url)).toList();
  }

  @Override
  protected Row create(Aws<SqsClient> sqs, Row desired) {
    Map<String, String> attributes = SPEC.attributes(desired);
    if (Boolean.TRUE.equals(desired.get("fifo_queue"))) {
      attributes.put(QueueAttributeName.FIFO_QUEUE.toString(), "true");
    }
    return read(sqs, sqs.call("CreateQueue", c -> c.createQueue(b -> b.queueName(desired.text(NAME))
        .attributesWithStrings(attributes))).queueUrl());
  }

  @Override
  protected Row update(Aws<SqsClient> sqs, Row desired, Row actual, Set<String> changed) {
    String url = actual.text("url");
    sqs.run("SetQueueAttributes", c -> c.setQueueAttributes(b -> b.queueUrl(url)
        .attributesWithStrings(SPEC.changedAttributes(desired, changed))));
    return read(sqs, url);
  }

  @Override
  protected void delete(Aws<SqsClient> sqs, Row actual) {
    sqs.delete("DeleteQueue", Set.of("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"),
        c -> c.deleteQueue(b -> b.queueUrl(actual.text("url"))));
  }

  private static Row read(Aws<SqsClient> sqs, String url) {
    Map<String, String> a = sqs.call("GetQueueAttributes", c -> c.getQueueAttributes(b -> b.queueUrl(url)
        .attributeNames(QueueAttributeName.ALL))).attributesAsStrings();
    String arn = a.get(QueueAttributeName.QUEUE_ARN.toString());
    return SPEC.withAttributes(sqs.row(), a).with(NAME, arn == null ? null : arn.substring(arn.lastIndexOf(':') + 1))
        .with("fifo_queue", Boolean.parseBoolean(a.get(QueueAttributeName.FIFO_QUEUE.toString()))).with("url", url);
  }
}
