package dev.iasql.aws.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * One apply converges: what AWS creates along with a VPC (its default security group and that group's rules) is
 * read back by the same apply, so the preview is empty after it and a second apply has nothing to do.
 */
@ExtendWith(IasqlExtension.class)
class VpcConvergesTest {
  @Test
  void aNewVpcLeavesNothingToApply(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_vpc", "aws_security_group")) {
      c.exec("INSERT INTO vpc (cidr_block, tags) VALUES ('10.231.0.0/16', '{\"name\":\"converges\"}')");
      c.apply();
      assertThat(c.previewApply()).as("after one apply").isEmpty();
      assertThat(c.rows("SELECT group_name FROM security_group JOIN vpc ON vpc.id = security_group.vpc_id"
          + " WHERE vpc.cidr_block = '10.231.0.0/16'")).as("the VPC's default group, read back: %s",
              c.rows("SELECT * FROM security_group"))
          .extracting(r -> r.get("group_name")).containsExactly("default");
      assertThat(c.apply()).as("a second apply").isEmpty();
      assertThat(c.previewSync()).isEmpty();
    }
  }

  /** Defaults survive delete_all_records: AWS's groups come back with the rules AWS made, in the rows and the cloud. */
  @Test
  void deleteAllRecordsThenApplyKeepsTheDefaultGroupsRules(TestDatabase db) throws Exception {
    String region = "eu-west-3";
    try (CloudDb c = CloudDb.connect(db, Moto.start().account())) {
      c.sync(); // the regions
      c.exec("UPDATE aws_regions SET is_default = true WHERE region = ?", region);
      c.rows("SELECT * FROM iasql_install('aws_vpc', 'aws_security_group')");
      Ec2Client ec2 = c.ec2(region);
      List<Map<String, Object>> defaults = c.rows("SELECT g.group_id FROM security_group g JOIN vpc v"
          + " ON v.id = g.vpc_id WHERE g.group_name = 'default' AND v.is_default AND g.region = ?", region);
      assertThat(defaults).as("%s", c.rows("SELECT * FROM security_group")).hasSize(1);
      String group = (String) defaults.get(0).get("group_id");
      List<String> before = ruleIds(ec2, group);
      assertThat(before).as("AWS's rules of the default group (moto makes only the egress one)").isNotEmpty();
      c.rows("SELECT delete_all_records()");
      c.apply();
      assertThat(ruleIds(ec2, group)).as("in the cloud").containsExactlyInAnyOrderElementsOf(before);
      assertThat(c.rows("SELECT r.security_group_rule_id FROM security_group_rule r JOIN security_group g"
          + " ON g.id = r.security_group_id WHERE g.group_id = ?", group))
          .as("and their rows").extracting(r -> r.get("security_group_rule_id"))
          .containsExactlyInAnyOrderElementsOf(before);
      assertThat(c.previewApply()).isEmpty();

      // With the group's row kept, a deleted rule row is what the user wants: the rule is revoked.
      int revoked = c.rows("DELETE FROM security_group_rule WHERE is_egress AND security_group_id ="
          + " (SELECT id FROM security_group WHERE group_id = ?) RETURNING id", group).size();
      assertThat(revoked).isPositive();
      assertThat(c.previewApply()).extracting(r -> r.get("action")).containsOnly("delete");
      c.apply();
      assertThat(ruleIds(ec2, group)).hasSize(before.size() - revoked);
      assertThat(c.previewApply()).isEmpty();
    }
  }

  private static List<String> ruleIds(Ec2Client ec2, String group) {
    return ec2.describeSecurityGroupRulesPaginator(b -> b.filters(Filter.builder().name("group-id").values(group)
        .build())).securityGroupRules().stream().map(r -> r.securityGroupRuleId()).toList();
  }
}
