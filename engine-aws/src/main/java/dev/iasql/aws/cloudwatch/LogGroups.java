package dev.iasql.aws.cloudwatch;

import static java.util.Objects.requireNonNull;

import dev.iasql.aws.AwsErrors;
import dev.iasql.engine.kit.Column;
import dev.iasql.engine.kit.ColumnType;
import dev.iasql.engine.kit.CrashSafety;
import dev.iasql.engine.kit.Resources;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.kit.TableSpec;
import dev.iasql.engine.spi.CloudContext;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

/**
 * {@code log_group}, as IaSQL v0.1.9 has it. A log group is known by its name, unique in its region, which cannot
 * change: a new name replaces the group (and its log streams go with it).
 */
final class LogGroups implements Resources {
  static final String NAME = "log_group_name";

  static final TableSpec SPEC = TableSpec.regional("log_group")
      // AWS's rule for the name: 1 to 512 of letters, digits, '.', '-', '_', '/', '#'.
      .column(Column.text(NAME).notNull().replacedOnChange().matches("^[.\\-_/#A-Za-z0-9]+$")
          .maxLength(512))
      .column(Column.text("log_group_arn").cloudAssigned())
      .column(Column.of("creation_time", ColumnType.TIMESTAMPTZ).cloudAssigned())
      .cloudId("log_group_arn", true)
      .describedBy(NAME)
      .primaryKey("PK_98524f243181f6e4ef712642235")
      .unique("IDX_0debae85724e7e1b623c556fb0", NAME, TableSpec.REGION)
      .regionForeignKey("FK_8eb78fd886deb6f20a15088e8c6")
      .survivesCrashBy(CrashSafety.uniqueName(NAME))
      .build();

  private static final Set<String> GONE = Set.of("ResourceNotFoundException");

  @Override
  public List<Row> list(CloudContext ctx, @Nullable String region) {
    String r = requireNonNull(region, "log_group is regional");
    CloudWatchLogsClient logs = ctx.client(CloudWatchLogsClient.class, r);
    return AwsErrors.call("DescribeLogGroups", r, () -> logs.describeLogGroupsPaginator(b -> { }).logGroups()
        .stream().map(g -> row(r, g)).toList());
  }

  /** CreateLogGroup answers nothing: the group is read back by its name for its ARN and creation time. */
  @Override
  public Row create(CloudContext ctx, Row desired) {
    String region = requireNonNull(desired.region(), "log_group is regional");
    String name = requireNonNull(desired.text(NAME), "log_group_name is NOT NULL");
    CloudWatchLogsClient logs = ctx.client(CloudWatchLogsClient.class, region);
    AwsErrors.run("CreateLogGroup", region, () -> logs.createLogGroup(b -> b.logGroupName(name)));
    return AwsErrors.call("DescribeLogGroups", region, () -> logs.describeLogGroups(b -> b.logGroupNamePrefix(name))
        .logGroups().stream().filter(g -> name.equals(g.logGroupName())).findFirst().map(g -> row(region, g))
        .orElseThrow(() -> new IllegalStateException("log group " + name + " was created but is not listed")));
  }

  @Override
  public void delete(CloudContext ctx, Row actual) {
    String region = requireNonNull(actual.region(), "log_group is regional");
    CloudWatchLogsClient logs = ctx.client(CloudWatchLogsClient.class, region);
    AwsErrors.delete("DeleteLogGroup", region, GONE,
        () -> logs.deleteLogGroup(b -> b.logGroupName(actual.text(NAME))));
  }

  private static Row row(String region, LogGroup g) {
    return Row.in(region).with(NAME, g.logGroupName()).with("log_group_arn", g.arn())
        .with("creation_time", g.creationTime() == null ? null : Instant.ofEpochMilli(g.creationTime()));
  }
}
