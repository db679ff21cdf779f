package dev.iasql.aws.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.aws.MotoClient;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * {@code aws_cloudwatch}'s own SQL function, IaSQL's {@code log_group_tail}, called as the tenant against moto: it
 * comes with the module, reads the cloud through the engine, refuses a bad argument with a code, and goes with the
 * module.
 */
@ExtendWith(IasqlExtension.class)
class LogGroupTailTest {
  private static final String REGION = "us-east-1";

  private Connection tenant;
  private Moto.Keys keys;
  private String group;

  @BeforeEach
  void install(TestDatabase db) throws SQLException {
    keys = Moto.start().account();
    tenant = db.tenant();
    Sql.rows(tenant, "SELECT * FROM iasql_install('aws_account')");
    Sql.exec(tenant, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
        keys.accessKeyId(), keys.secretAccessKey());
    Sql.rows(tenant, "SELECT * FROM iasql_install('aws_cloudwatch')");
    group = "tail-" + UUID.randomUUID();
  }

  @AfterEach
  void close() throws SQLException {
    tenant.close();
  }

  @Test
  void tailsALogGroupsEventsWithIasqlsColumns() throws SQLException {
    long at = Instant.parse("2026-12-06T15:00:00Z").toEpochMilli();
    try (CloudWatchLogsClient logs = MotoClient.of(CloudWatchLogsClient.builder(), keys, REGION)) {
      logs.createLogGroup(b -> b.logGroupName(group));
      logs.createLogStream(b -> b.logGroupName(group).logStreamName("web"));
      logs.putLogEvents(b -> b.logGroupName(group).logStreamName("web").logEvents(
          e -> e.timestamp(at).message("started"), e -> e.timestamp(at + 1000).message("listening on 443")));
    }
    List<Map<String, Object>> rows = Sql.rows(tenant, "SELECT * FROM log_group_tail(?)", group);
    assertThat(rows).extracting(r -> r.get("message")).containsExactly("started", "listening on 443");
    assertThat(rows.get(0)).containsOnlyKeys("event_id", "log_stream_name", "event_timestamp", "message")
        .containsEntry("log_stream_name", "web");
    assertThat(((java.sql.Timestamp) Sql.value(tenant, "SELECT event_timestamp FROM log_group_tail(?, ?) LIMIT 1",
        group, REGION)).toInstant()).isEqualTo(Instant.ofEpochMilli(at));
    assertThat(Sql.value(tenant, "SELECT optype FROM iasql_operation ORDER BY start_date DESC LIMIT 1"))
        .isEqualTo("RPC");
  }

  @Test
  void badArgumentsHaveTheirOwnCodes() throws SQLException {
    PSQLException none = Sql.failure(tenant, "SELECT * FROM log_group_tail(NULL)");
    assertThat(none.getSQLState()).isEqualTo("IQ401");
    assertThat(none.getMessage()).as("the engine names a required argument")
        .contains("log_group_tail needs log_group_name");
    PSQLException region = Sql.failure(tenant, "SELECT * FROM log_group_tail(?, 'mars-north-1')", group);
    assertThat(region.getSQLState()).as("the AWS modules' own code, from their block").isEqualTo("IQ505");
    assertThat(region.getMessage()).contains("mars-north-1");
    PSQLException missing = Sql.failure(tenant, "SELECT * FROM log_group_tail(?)", group);
    assertThat(missing.getSQLState()).as("AWS refused: no such group").isEqualTo("IQ502");
    assertThat(missing.getMessage()).contains("FilterLogEvents", "ResourceNotFoundException");
    PSQLException large = Sql.failure(tenant, "SELECT * FROM log_group_tail(repeat('a', 300))");
    assertThat(large.getSQLState()).as("refused before anything is queued, as the platform's").isEqualTo("IQ403");
  }

  @Test
  void helpListsTheFunctionWhileItsModuleIsInstalled() throws SQLException {
    String row = "log_group_tail|log_group_tail(text, text)|" + LogGroupTail.RPC.description()
        + "|SELECT * FROM log_group_tail(…)";
    assertThat(help()).as("after the platform's functions, in their order").endsWith(row);
    Sql.rows(tenant, "SELECT * FROM iasql_uninstall('aws_cloudwatch')");
    assertThat(help()).doesNotContain(row);
  }

  private List<String> help() throws SQLException {
    return Sql.rows(tenant, "SELECT * FROM iasql_help()").stream().map(r -> r.get("name") + "|" + r.get("signature")
        + "|" + r.get("description") + "|" + r.get("sample_usage")).toList();
  }

  @Test
  void theFunctionIsDefinerSafeAndGoesWithItsModule() throws SQLException {
    assertThat(Sql.value(tenant, "SELECT array_to_string(proconfig, ',') FROM pg_proc WHERE proname ="
        + " 'log_group_tail'")).isEqualTo("search_path=pg_catalog, pg_temp");
    assertThat(Sql.value(tenant, "SELECT prosecdef FROM pg_proc WHERE proname = 'log_group_tail'")).isEqualTo(true);
    assertThat(Sql.value(tenant, "SELECT has_function_privilege('log_group_tail(text, text)', 'EXECUTE')"))
        .isEqualTo(true);
    Sql.rows(tenant, "SELECT * FROM iasql_uninstall('aws_cloudwatch')");
    assertThat(Sql.value(tenant, "SELECT count(*) FROM pg_proc WHERE proname = 'log_group_tail'")).isEqualTo(0L);
    Sql.rows(tenant, "SELECT * FROM iasql_install('aws_cloudwatch')");
    assertThat(Sql.value(tenant, "SELECT count(*) FROM pg_proc WHERE proname = 'log_group_tail'"))
        .as("and comes back with it").isEqualTo(1L);
  }
}
