package dev.iasql.aws.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * A caller's statement_timeout cancels {@code iasql_apply()} of 20 new groups, each with a rule (two dependency
 * levels), at a seeded random point. Whatever the point, the operation row tells the truth (nothing done, partly done with the
 * changes made, or done), the database records exactly the groups and rules that exist in the cloud, and a second
 * apply does the rest.
 */
@ExtendWith(IasqlExtension.class)
class CancelledApplyTest {
  private static final String REGION = "us-east-1";
  private static final int GROUPS = 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void aCancelAtAnyPointLeavesTheTruthInTheLogAndTheDatabase(long seed, TestDatabase db) throws Exception {
    Random random = new Random(seed);
    String prefix = "cancel-" + seed + "-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_security_group")) {
      c.apply(); // settle what earlier tests left in this account, so only our groups are created
      for (int i = 0; i < GROUPS; i++) {
        c.exec("INSERT INTO security_group (description, group_name) VALUES ('cancelled apply', ?)", prefix + i);
      }
      c.exec("INSERT INTO security_group_rule (is_egress, ip_protocol, from_port, to_port, cidr_ipv4,"
          + " security_group_id) SELECT false, 'tcp', 443, 443, '10.0.0.0/8', id FROM security_group"
          + " WHERE group_name LIKE ?", prefix + "%");
      int timeoutMs = 5 + random.nextInt(900);
      c.exec("SELECT set_config('statement_timeout', ?, false)", timeoutMs + "ms");
      boolean cancelled;
      try {
        c.apply();
        cancelled = false;
      } catch (PSQLException e) {
        assertThat(e.getSQLState()).as("timeout %d ms", timeoutMs).isEqualTo("57014");
        cancelled = true;
      } finally {
        c.exec("RESET statement_timeout");
      }
      Map<String, Object> op = finished(c);
      Map<String, String> inCloud = c.ec2(REGION).describeSecurityGroups(r -> r.filters(
              Filter.builder().name("group-name").values(prefix + "*").build()))
          .securityGroups().stream().collect(Collectors.toMap(SecurityGroup::groupName, SecurityGroup::groupId));
      Map<String, String> inDb = c.rows("SELECT group_name, group_id FROM security_group WHERE group_name LIKE ?"
              + " AND group_id IS NOT NULL", prefix + "%").stream()
          .collect(Collectors.toMap(r -> (String) r.get("group_name"), r -> (String) r.get("group_id")));
      assertThat(inDb).as("timeout %d ms: the database records every group the cloud has, and no other",
          timeoutMs).isEqualTo(inCloud);
      Set<String> rulesInCloud = inCloud.isEmpty() ? Set.of() : c.ec2(REGION).describeSecurityGroupRules(r -> r
              .filters(Filter.builder().name("group-id").values(inCloud.values()).build()))
          .securityGroupRules().stream().filter(r -> !r.isEgress()).map(SecurityGroupRule::securityGroupRuleId)
          .collect(Collectors.toSet());
      Set<String> rulesInDb = c.rows("SELECT r.security_group_rule_id AS id FROM security_group_rule r"
              + " JOIN security_group g ON g.id = r.security_group_id WHERE g.group_name LIKE ?"
              + " AND r.security_group_rule_id IS NOT NULL", prefix + "%").stream()
          .map(r -> (String) r.get("id")).collect(Collectors.toSet());
      assertThat(rulesInDb).as("timeout %d ms: and every rule", timeoutMs).isEqualTo(rulesInCloud);

      String status = (String) op.get("status");
      JsonNode output = op.get("output") == null ? null : JSON.readTree(op.get("output").toString());
      if ("done".equals(status)) {
        assertThat(inCloud).hasSize(GROUPS);
        assertThat(rulesInCloud).hasSize(GROUPS);
        return;
      }
      assertThat(cancelled).isTrue();
      assertThat(status).isEqualTo("cancelled");
      JsonNode err = JSON.readTree(op.get("err").toString());
      assertThat(err.get("code").asText()).isEqualTo("IQ005");
      if (inCloud.isEmpty()) {
        assertThat(err.get("message").asText()).as("timeout %d ms", timeoutMs).contains("nothing was changed");
        assertThat(output == null || output.isEmpty()).isTrue();
      } else {
        assertThat(err.get("message").asText()).as("timeout %d ms", timeoutMs)
            .contains("partly done").doesNotContain("nothing was changed");
        assertThat(output).as("the output lists the changes made before it stopped").isNotNull();
        Map<String, Integer> created = new HashMap<>();
        for (JsonNode change : output) {
          if (change.get("action").asText().equals("create")
              && change.get("table_name").asText().equals("security_group")) {
            created.merge(change.get("description").asText(), 1, Integer::sum);
          }
        }
        assertThat(created.keySet()).as("timeout %d ms: each by its name", timeoutMs)
            .containsExactlyInAnyOrderElementsOf(inCloud.keySet());
      }
      List<Map<String, Object>> left = c.previewApply();
      assertThat(left).filteredOn(r -> r.get("table_name").equals("security_group"))
          .as("what is left is what was not done").hasSize(GROUPS - inCloud.size());
      assertThat(c.apply()).as("a second apply does the rest")
          .extracting(r -> r.get("action") + " " + r.get("table_name"))
          .containsExactlyInAnyOrderElementsOf(left.stream().map(r -> r.get("action") + " " + r.get("table_name"))
              .toList());
      assertThat(c.previewApply()).isEmpty();
    }
  }

  /** The apply's row once the engine has finished with it (a caller's cancel returns before the engine stops). */
  private static Map<String, Object> finished(CloudDb c) throws SQLException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      List<Map<String, Object>> rows = c.rows("SELECT status, output::text AS output, err::text AS err"
          + " FROM iasql_operation WHERE optype = 'APPLY' ORDER BY id DESC LIMIT 1");
      Map<String, Object> row = rows.get(0);
      if (!List.of("pending", "running", "cancelling").contains((String) row.get("status"))) {
        return row;
      }
      assertThat(Instant.now()).as("the engine ends a cancelled apply").isBefore(deadline);
      Thread.sleep(50);
    }
  }
}
