package dev.iasql.engine.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Columns bound to a resource's attribute map (an SQS queue's settings): what create and update send, and how a read
 * fills the row in, each value in its column's type.
 */
class AttributesTest {
  static final TableSpec QUEUE = TableSpec.regional("queue")
      .column(Column.text("name").notNull().replacedOnChange())
      .attribute(Column.of("delay", ColumnType.INTEGER).notNull().defaultSql("0").between(0, 900), "DelaySeconds")
      .attribute(Column.of("fifo", ColumnType.BOOLEAN), "FifoQueue")
      .attribute(Column.of("policy", ColumnType.JSON), "Policy")
      .attribute(Column.text("arn").cloudAssigned(), "QueueArn")
      .cloudId("arn", true)
      .unique("uq_queue_name_region", "name", TableSpec.REGION)
      .survivesCrashBy(CrashSafety.uniqueName("name"))
      .build();

  @Test
  void aCreateSendsEveryUserValueAsTextAndNothingOfTheClouds() {
    Row desired = Row.in("us-east-1").with("name", "q").with("delay", 30).with("fifo", true).with("arn", "arn:x");
    assertThat(QUEUE.attributes(desired)).as("no NULL policy, no cloud-assigned ARN")
        .containsExactly(Map.entry("DelaySeconds", "30"), Map.entry("FifoQueue", "true"));
  }

  @Test
  void anUpdateSendsTheChangedOnesAndAClearedOneEmpty() {
    Row desired = Row.in("us-east-1").with("name", "q").with("delay", 5).with("fifo", true);
    assertThat(QUEUE.changedAttributes(desired, Set.of("delay", "policy", "name")))
        .containsExactly(Map.entry("DelaySeconds", "5"), Map.entry("Policy", ""));
  }

  @Test
  void aReadFillsEveryReadableColumnInItsType() {
    Row read = QUEUE.withAttributes(Row.in("us-east-1").with("name", "q").with("policy", "stale"), Map.of(
        "DelaySeconds", "30", "FifoQueue", "false", "QueueArn", "arn:aws:sqs:us-east-1:1:q", "Policy", "",
        "ApproximateNumberOfMessages", "3"));
    assertThat(read.values()).containsExactly(Map.entry("name", "q"), Map.entry("delay", 30),
        Map.entry("fifo", false), Map.entry("arn", "arn:aws:sqs:us-east-1:1:q"));
  }

  @Test
  void onlyTypesWithOneTextFormAreBound() {
    assertThatThrownBy(() -> TableSpec.regional("t").column(Column.text("t_id").cloudAssigned())
        .attribute(Column.of("tags", ColumnType.TAGS), "Tags").cloudId("t_id", false)
        .survivesCrashBy(CrashSafety.rowTag()).build())
        .hasMessageContaining("an attribute is text, a number, a boolean or JSON: tags");
  }

  @Test
  void aRangeIsACheckAndAUniqueNameNamesTheRow() {
    assertThat(QUEUE.ddl()).contains("CONSTRAINT \"queue_delay_check\" CHECK (\"delay\" BETWEEN 0 AND 900)");
    assertThat(QUEUE.describedBy()).as("named by its unique name, not its ARN").isEqualTo("name");
  }
}
