package dev.iasql.aws.cloudwatch;

import dev.iasql.aws.AwsResources;
import dev.iasql.engine.kit.Column;
import dev.iasql.engine.kit.ColumnType;
import dev.iasql.engine.kit.CrashSafety;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.kit.TableSpec;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

/**
 * {@code log_group}, as IaSQL v0.1.9 has it. A log group is known by its name, unique in its region, which cannot
 * change: a new name replaces the group (and its log streams go with it).
 */
final class LogGroups extends AwsResources<CloudWatchLogsClient> {
  static final String NAME = "log_group_name";

  static final TableSpec SPEC = TableSpec.regional("log_group")
      // AWS's rule for the name: 1 to 512 of letters, digits, '.', '-', '_', '/', '#'.
      .column(Column.text(NAME).notNull().replacedOnChange().matches("^[.\\-_/#A-Za-z0-9]+$").maxLength(512))
      .column(Column.text("log_group_arn").cloudAssigned())
      .column(Column.of("creation_time", ColumnType.TIMESTAMPTZ).cloudAssigned())
      .cloudId("log_group_arn", true)
      .primaryKey("PK_98524f243181f6e4ef712642235")
      .unique("IDX_0debae85724e7e1b623c556fb0", NAME, TableSpec.REGION)
      .regionForeignKey("FK_8eb78fd886deb6f20a15088e8c6")
      .survivesCrashBy(CrashSafety.uniqueName(NAME))
      .build();

  @Override
  protected List<Row> list(Aws<CloudWatchLogsClient> logs) {
    return logs.call("DescribeLogGroups", c -> c.describeLogGroupsPaginator(b -> { }).logGroups().stream()
        .map(g -> row(logs, g)).toList());
  }

  /** CreateLogGroup answers nothing: the group is read back by its name for its ARN and creation time. */
  @Override
  protected Row create(Aws<CloudWatchLogsClient> logs, Row desired) {
    String name = desired.text(NAME);
    logs.run("CreateLogGroup", c -> c.createLogGroup(b -> b.logGroupName(name)));
    return logs.call("DescribeLogGroups", c -> c.describeLogGroups(b -> b.logGroupNamePrefix(name))).logGroups()
        .stream().filter(g -> name.equals(g.logGroupName())).findFirst().map(g -> row(logs, g))
        .orElseThrow(() -> new IllegalStateException("log group " + name + " was created but is not listed"));
  }

  @Override
  protected void delete(Aws<CloudWatchLogsClient> logs, Row actual) {
    logs.delete("DeleteLogGroup", c -> c.deleteLogGroup(b -> b.logGroupName(actual.text(NAME))));
  }

  private static Row row(Aws<?> logs, LogGroup g) {
    return logs.row().with(NAME, g.logGroupName()).with("log_group_arn", g.arn())
        .with("creation_time", g.creationTime() == null ? null : Instant.ofEpochMilli(g.creationTime()));
  }
}
