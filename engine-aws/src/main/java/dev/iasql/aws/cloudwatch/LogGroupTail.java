package dev.iasql.aws.cloudwatch;

import dev.iasql.aws.AwsErrorCode;
import dev.iasql.aws.AwsErrors;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.spi.Rpc;
import dev.iasql.engine.spi.Rpc.Argument;
import dev.iasql.engine.spi.RpcCall;
import dev.iasql.engine.spi.SqlType;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

/**
 * IaSQL's {@code log_group_tail(log_group_name, region)} ({@code aws_cloudwatch/rpcs/log_group_tail.ts}): the latest
 * events of a log group, at most 1,000 as IaSQL read them, in the default region unless one is given.
 * {@code SELECT * FROM log_group_tail('my-group')}.
 */
final class LogGroupTail {
  /** IaSQL's cap: a tail, not an export. */
  private static final int LIMIT = 1000;

  /** One log event, with IaSQL's columns. */
  record Event(@SqlType("character varying") @Nullable String eventId,
      @SqlType("character varying") @Nullable String logStreamName,
      @SqlType("timestamp with time zone") @Nullable Instant eventTimestamp,
      @SqlType("character varying") @Nullable String message) {}

  static final Rpc<Event> RPC = new Rpc<>("log_group_tail",
      List.of(Argument.required("log_group_name"), Argument.optional("region")), Event.class,
      "The latest events (at most 1,000) of a CloudWatch log group, in the default region unless one is given",
      LogGroupTail::tail);

  private LogGroupTail() {}

  static List<Event> tail(RpcCall call) {
    String group = call.argument(0).orElseThrow(() -> EngineException.withHint(ErrorCode.INVALID_ARGUMENT,
        "log_group_tail needs the name of a log group", "SELECT * FROM log_group_tail('my-log-group')"));
    String region = call.argument(1).orElse(call.cloud().defaultRegion());
    if (!call.cloud().regions().contains(region)) {
      // A region the database does not read is a user's slip, not a cloud failure: its own code, and the way out.
      throw EngineException.withHint(AwsErrorCode.UNKNOWN_REGION, "log_group_tail: region " + region
          + " is not an enabled region of this database", "enabled are " + String.join(", ",
          call.cloud().regions()) + "; enable one with UPDATE aws_regions SET is_enabled = true WHERE region = '…'");
    }
    CloudWatchLogsClient logs = call.cloud().client(CloudWatchLogsClient.class, region);
    List<FilteredLogEvent> events = AwsErrors.call("FilterLogEvents", region,
        () -> logs.filterLogEvents(b -> b.logGroupName(group).limit(LIMIT)).events());
    return events.stream().map(e -> new Event(e.eventId(), e.logStreamName(),
        e.timestamp() == null ? null : Instant.ofEpochMilli(e.timestamp()), e.message())).toList();
  }
}
