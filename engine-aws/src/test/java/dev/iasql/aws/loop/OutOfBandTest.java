package dev.iasql.aws.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.TestDatabase;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** Changes made straight in the cloud: sync adopts them, apply undoes them, and the previews say which. */
@ExtendWith(IasqlExtension.class)
class OutOfBandTest {
  private static final String REGION = "us-east-1";

  @Test
  void aGroupCreatedOutsideIsAdoptedBySyncOrRemovedByApply(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_security_group")) {
      c.apply();
      Ec2Client ec2 = c.ec2(REGION);
      String name = "oob-" + UUID.randomUUID();
      String groupId = ec2.createSecurityGroup(r -> r.groupName(name).description("made by hand")).groupId();

      assertThat(c.previewSync()).extracting(r -> r.get("action"), r -> r.get("table_name"), r -> r.get("description"))
          .as("sync would add the group's row").contains(tuple("create", "security_group", name));
      assertThat(c.previewApply()).extracting(r -> r.get("action"), r -> r.get("table_name"), r -> r.get("description"))
          .as("apply would delete the group").contains(tuple("delete", "security_group", name));

      c.sync();
      assertThat(c.value("SELECT group_name FROM security_group WHERE group_id = ?", groupId)).isEqualTo(name);
      assertThat(c.value("SELECT count(*) FROM security_group_rule r JOIN security_group s ON s.id ="
          + " r.security_group_id WHERE s.group_id = ? AND r.is_egress", groupId))
          .as("with its default egress rule").isEqualTo(1L);
      assertThat(c.previewApply()).as("adopted: apply has nothing to do").isEmpty();

      // Revoked by hand: apply puts the rule back, as the database says.
      String ruleId = (String) c.value("SELECT r.security_group_rule_id FROM security_group_rule r JOIN"
          + " security_group s ON s.id = r.security_group_id WHERE s.group_id = ?", groupId);
      ec2.revokeSecurityGroupEgress(r -> r.groupId(groupId).securityGroupRuleIds(ruleId));
      assertThat(c.previewApply()).extracting(r -> r.get("action"), r -> r.get("table_name"))
          .containsExactly(tuple("create", "security_group_rule"));
      c.apply();
      assertThat(ApplySyncTest.rules(ec2, groupId)).hasSize(1);

      // Deleted by hand: sync drops the rows; apply would have created the group again.
      ec2.revokeSecurityGroupEgress(r -> r.groupId(groupId).securityGroupRuleIds(
          ApplySyncTest.rules(ec2, groupId).get(0).securityGroupRuleId()));
      ec2.deleteSecurityGroup(r -> r.groupId(groupId));
      assertThat(c.previewApply()).extracting(r -> r.get("action"), r -> r.get("table_name"))
          .contains(tuple("create", "security_group"));
      assertThat(c.previewSync()).extracting(r -> r.get("action"), r -> r.get("table_name"))
          .contains(tuple("delete", "security_group"), tuple("delete", "security_group_rule"));
      c.sync();
      assertThat(c.value("SELECT count(*) FROM security_group WHERE group_name = ?", name)).isEqualTo(0L);

      // Created by hand again, then undone by apply.
      String second = ec2.createSecurityGroup(r -> r.groupName(name).description("again")).groupId();
      c.apply();
      assertThat(ApplySyncTest.groups(ec2, name)).as("apply deleted what the database does not have").isEmpty();
      assertThat(c.previewSync()).extracting(r -> r.get("description")).doesNotContain(second);
    }
  }
}
