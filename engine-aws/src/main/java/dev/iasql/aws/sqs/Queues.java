package dev.iasql.aws.sqs;

import static java.util.Objects.requireNonNull;

import dev.iasql.aws.AwsErrors;
import dev.iasql.engine.kit.Column;
import dev.iasql.engine.kit.ColumnType;
import dev.iasql.engine.kit.CrashSafety;
import dev.iasql.engine.kit.Resources;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.kit.TableSpec;
import dev.iasql.engine.spi.CloudContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code queue}, as IaSQL v0.1.9 has it: a queue is known by its name in its region; its name, FIFO mode and region
 * cannot change (the queue is replaced), its other attributes change in place. Limits are AWS's, as CHECKs; what only
 * AWS checks (a FIFO queue's name must end in {@code .fifo}) comes back as AWS's error, naming the row.
 */
final class Queues implements Resources, Resources.InPlace {
  static final String NAME = "name";

  /** Integer columns and the attribute each one is, with AWS's documented range. */
  private record Attribute(String column, QueueAttributeName name, int min, int max, int dflt) {}

  private static final List<Attribute> NUMBERS = List.of(
      new Attribute("visibility_timeout", QueueAttributeName.VISIBILITY_TIMEOUT, 0, 43_200, 30),
      new Attribute("delay_seconds", QueueAttributeName.DELAY_SECONDS, 0, 900, 0),
      new Attribute("receive_message_wait_time_seconds", QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, 0,
          20, 0),
      new Attribute("message_retention_period", QueueAttributeName.MESSAGE_RETENTION_PERIOD, 60, 1_209_600,
          345_600),
      new Attribute("maximum_message_size", QueueAttributeName.MAXIMUM_MESSAGE_SIZE, 1_024, 1_048_576, 262_144));

  static final TableSpec SPEC = spec();

  private static TableSpec spec() {
    TableSpec.Builder b = TableSpec.regional("queue")
        // AWS's rule: 1 to 80 letters, digits, '-' and '_'; a FIFO queue's name ends in .fifo within the 80.
        .column(Column.text(NAME).notNull().replacedOnChange().matches("^[A-Za-z0-9_-]+(\\.fifo)?$").maxLength(80))
        .column(Column.of("fifo_queue", ColumnType.BOOLEAN).notNull().defaultSql("false").replacedOnChange());
    for (Attribute a : NUMBERS) {
      b.column(Column.of(a.column(), ColumnType.INTEGER).notNull().defaultSql(Integer.toString(a.dflt()))
          .check("\"" + a.column() + "\" BETWEEN " + a.min() + " AND " + a.max()));
    }
    return b.column(Column.of("policy", ColumnType.JSON))
        .column(Column.text("arn").cloudAssigned())
        .column(Column.text("url").cloudAssigned())
        .cloudId("arn", true)
        .describedBy(NAME)
        .unique("uq_queue_name_region", NAME, TableSpec.REGION)
        .survivesCrashBy(CrashSafety.uniqueName(NAME))
        .build();
  }

  private static final Set<String> GONE = Set.of("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist");

  /** SQS has no bulk read of attributes: one list, then one request per queue. */
  @Override
  public List<Row> list(CloudContext ctx, @Nullable String region) {
    String r = requireNonNull(region, "queue is regional");
    SqsClient sqs = ctx.client(SqsClient.class, r);
    List<String> urls = AwsErrors.call("ListQueues", r, () -> sqs.listQueuesPaginator(b -> { }).queueUrls().stream()
        .toList());
    return urls.stream().map(url -> read(sqs, r, url)).toList();
  }

  @Override
  public Row create(CloudContext ctx, Row desired) {
    String region = requireNonNull(desired.region(), "queue is regional");
    SqsClient sqs = ctx.client(SqsClient.class, region);
    Map<QueueAttributeName, String> attributes = attributes(desired, null);
    if (Boolean.TRUE.equals(desired.get("fifo_queue"))) {
      attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
    }
    String url = AwsErrors.call("CreateQueue", region, () -> sqs.createQueue(b -> b.queueName(desired.text(NAME))
        .attributes(attributes)).queueUrl());
    return read(sqs, region, url);
  }

  @Override
  public Row update(CloudContext ctx, Row desired, Row actual, Set<String> changed) {
    String region = requireNonNull(actual.region(), "queue is regional");
    SqsClient sqs = ctx.client(SqsClient.class, region);
    String url = requireNonNull(actual.text("url"), "a queue read from SQS has its URL");
    Map<QueueAttributeName, String> attributes = attributes(desired, changed);
    AwsErrors.run("SetQueueAttributes", region, () -> sqs.setQueueAttributes(b -> b.queueUrl(url)
        .attributes(attributes)));
    return read(sqs, region, url);
  }

  @Override
  public void delete(CloudContext ctx, Row actual) {
    String region = requireNonNull(actual.region(), "queue is regional");
    SqsClient sqs = ctx.client(SqsClient.class, region);
    AwsErrors.delete("DeleteQueue", region, GONE, () -> sqs.deleteQueue(b -> b.queueUrl(actual.text("url"))));
  }

  /** The attributes of a row, all of them or the changed ones; a policy removed is sent empty, as SQS asks. */
  private static Map<QueueAttributeName, String> attributes(Row row, @Nullable Set<String> only) {
    Map<QueueAttributeName, String> out = new LinkedHashMap<>();
    for (Attribute a : NUMBERS) {
      if (only == null || only.contains(a.column())) {
        out.put(a.name(), String.valueOf(row.get(a.column())));
      }
    }
    if (only == null ? row.get("policy") != null : only.contains("policy")) {
      out.put(QueueAttributeName.POLICY, row.get("policy") == null ? "" : row.text("policy"));
    }
    return out;
  }

  private static Row read(SqsClient sqs, String region, String url) {
    Map<String, String> a = AwsErrors.call("GetQueueAttributes", region, () -> sqs.getQueueAttributes(b -> b
        .queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributesAsStrings());
    String arn = a.get(QueueAttributeName.QUEUE_ARN.toString());
    Row row = Row.in(region).with(NAME, arn == null ? null : arn.substring(arn.lastIndexOf(':') + 1))
        .with("fifo_queue", Boolean.parseBoolean(a.get(QueueAttributeName.FIFO_QUEUE.toString())))
        .with("arn", arn).with("url", url);
    for (Attribute n : NUMBERS) {
      String v = a.get(n.name().toString());
      row = row.with(n.column(), v == null ? null : Integer.valueOf(v));
    }
    String policy = a.get(QueueAttributeName.POLICY.toString());
    return row.with("policy", policy == null || policy.isEmpty() ? null : policy);
  }
}
