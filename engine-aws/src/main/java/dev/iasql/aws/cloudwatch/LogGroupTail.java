package dev.iasql.aws.cloudwatch;

import dev.iasql.aws.AwsResources.Aws;
import dev.iasql.engine.spi.Rpc;
import dev.iasql.engine.spi.RpcCall;
import dev.iasql.engine.spi.SqlType;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * One row of IaSQL's {@code log_group_tail(log_group_name, region)} ({@code aws_cloudwatch/rpcs/log_group_tail.ts}),
 * with IaSQL's columns: one event of the latest of a log group, at most 1,000 as IaSQL read them, in the default
 * region unless one is given. {@code SELECT * FROM log_group_tail('my-group')}.
 */
@SqlType("character varying")
record LogGroupTail(@Nullable String eventId, @Nullable String logStreamName,
    @SqlType("timestamp with time zone") @Nullable Instant eventTimestamp, @Nullable String message) {
  /** IaSQL's cap: a tail, not an export. */
  private static final int LIMIT = 1000;

  static final Rpc<LogGroupTail> RPC = new Rpc<>("log_group_tail",
      List.of(Rpc.Argument.required("log_group_name"), Rpc.Argument.optional("region")), LogGroupTail.class,
      "The latest events (at most 1,000) of a CloudWatch log group, in the default region unless one is given",
      LogGroupTail::tail);

  static List<LogGroupTail> tail(RpcCall call) {
    String group = call.argument(0).orElseThrow(); // required: the engine refuses a call without it
    Aws<CloudWatchLogsClient> logs = Aws.forRpc(call, 1, CloudWatchLogsClient.class);
    return logs.call("FilterLogEvents", c -> c.filterLogEvents(b -> b.logGroupName(group).limit(LIMIT))).events()
        .stream().map(e -> new LogGroupTail(e.eventId(), e.logStreamName(), e.timestamp() == null ? null
            : Instant.ofEpochMilli(e.timestamp()), e.message())).toList();
  }
}
