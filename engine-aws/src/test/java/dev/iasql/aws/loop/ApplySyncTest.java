package dev.iasql.aws.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/** The loop a user runs: write rows, preview, apply, sync; as the tenant, against moto. */
@ExtendWith(IasqlExtension.class)
class ApplySyncTest {
  private static final String REGION = "us-east-1";

  @Test
  void rowsBecomeSecurityGroupsAndTheLoopSettles(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_security_group")) {
      assertThat(c.value("SELECT count(*) FROM vpc WHERE is_default AND region = ?", REGION))
          .as("install imported the default VPC").isEqualTo(1L);
      // Of the default VPC: other tests of this JVM's moto account may leave VPCs (and their groups) in the region.
      assertThat(c.value("SELECT count(*) FROM security_group g JOIN vpc v ON v.id = g.vpc_id WHERE v.is_default"
          + " AND g.group_name = 'default' AND g.region = ?", REGION)).as("and its default security group")
          .isEqualTo(1L);
      c.apply(); // settle whatever earlier tests left in this account
      String name = "web-" + UUID.randomUUID();
      c.exec("INSERT INTO security_group (description, group_name) VALUES ('web servers', ?)", name);
      c.exec("INSERT INTO security_group_rule (is_egress, ip_protocol, from_port, to_port, cidr_ipv4,"
          + " security_group_id) SELECT false, 'tcp', 443, 443, '0.0.0.0/0', id FROM security_group"
          + " WHERE group_name = ?", name);
      Ec2Client ec2 = c.ec2(REGION);

      List<Map<String, Object>> preview = c.previewApply();
      assertThat(preview).extracting(r -> r.get("action"), r -> r.get("table_name"))
          .containsExactlyInAnyOrder(tuple("create", "security_group"), tuple("create", "security_group_rule"));
      assertThat(groups(ec2, name)).as("a preview changes nothing in the cloud").isEmpty();
      assertThat(c.value("SELECT group_id FROM security_group WHERE group_name = ?", name))
          .as("nor in the database").isNull();

      List<Map<String, Object>> applied = c.apply();
      assertThat(applied).extracting(r -> r.get("action"), r -> r.get("table_name"))
          .containsExactlyInAnyOrder(tuple("create", "security_group"), tuple("create", "security_group_rule"));
      String groupId = (String) c.value("SELECT group_id FROM security_group WHERE group_name = ?", name);
      assertThat(groupId).startsWith("sg-");
      assertThat(c.value("SELECT v.is_default FROM security_group s JOIN vpc v ON v.id = s.vpc_id"
          + " WHERE s.group_name = ?", name)).as("a group without a VPC goes into the default VPC").isEqualTo(true);
      assertThat(c.value("SELECT security_group_rule_id FROM security_group_rule r JOIN security_group s"
          + " ON s.id = r.security_group_id WHERE s.group_name = ?", name)).asString().startsWith("sgr-");
      assertThat(rules(ec2, groupId)).extracting(SecurityGroupRule::isEgress, SecurityGroupRule::fromPort)
          .as("the ingress rule exists and the default egress was revoked, as the database says")
          .containsExactly(tuple(false, 443));

      assertThat(c.previewApply()).as("nothing left to apply").isEmpty();
      assertThat(c.previewSync()).as("nothing to sync either").isEmpty();
      assertThat(c.sync()).isEmpty();

      c.exec("UPDATE security_group_rule SET from_port = 8443, to_port = 8443 WHERE security_group_id ="
          + " (SELECT id FROM security_group WHERE group_name = ?)", name);
      assertThat(c.apply()).extracting(r -> r.get("action"), r -> r.get("table_name"))
          .containsExactlyInAnyOrder(tuple("create", "security_group_rule"), tuple("delete", "security_group_rule"));
      assertThat(rules(ec2, groupId)).extracting(SecurityGroupRule::fromPort).containsExactly(8443);

      String renamed = name + "-renamed";
      c.exec("UPDATE security_group SET group_name = ? WHERE group_name = ?", renamed, name);
      assertThat(c.apply()).extracting(r -> r.get("action"), r -> r.get("table_name"))
          .as("EC2 cannot rename a group: it is replaced, and its rule with it in the same apply")
          .contains(tuple("replace", "security_group"), tuple("replace", "security_group_rule"));
      assertThat(groups(ec2, name)).isEmpty();
      assertThat(groups(ec2, renamed)).hasSize(1);
      String newId = (String) c.value("SELECT group_id FROM security_group WHERE group_name = ?", renamed);
      assertThat(newId).isNotEqualTo(groupId);
      assertThat(rules(ec2, newId)).extracting(SecurityGroupRule::fromPort).containsExactly(8443);
      assertThat(c.previewApply()).isEmpty();

      c.exec("DELETE FROM security_group_rule WHERE security_group_id = (SELECT id FROM security_group"
          + " WHERE group_name = ?)", renamed);
      c.exec("DELETE FROM security_group WHERE group_name = ?", renamed);
      assertThat(c.apply()).extracting(r -> r.get("action"), r -> r.get("table_name"))
          .as("rules go before their group").containsExactly(tuple("delete", "security_group_rule"),
              tuple("delete", "security_group"));
      assertThat(groups(ec2, renamed)).isEmpty();
      assertThat(c.previewSync()).isEmpty();
    }
  }

  @Test
  void aFailingRowIsNamedAndKept(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_vpc")) {
      c.apply();
      c.exec("INSERT INTO vpc (cidr_block) VALUES ('10.42.0.0/16')");
      // 10.99.0.0/24 is not inside the VPC's range: EC2 refuses the subnet.
      c.exec("INSERT INTO subnet (cidr_block, availability_zone, vpc_id) SELECT '10.99.0.0/24', 'us-east-1a', id"
          + " FROM vpc WHERE cidr_block = '10.42.0.0/16'");
      int subnetRow = ((Number) c.value("SELECT id FROM subnet WHERE cidr_block = '10.99.0.0/24'")).intValue();
      var e = org.junit.jupiter.api.Assertions.assertThrows(org.postgresql.util.PSQLException.class, c::apply);
      assertThat(e.getSQLState()).isEqualTo("IQ503");
      String detail = e.getServerErrorMessage().getDetail();
      assertThat(detail).contains("subnet " + subnetRow).contains("InvalidSubnet");
      assertThat(c.value("SELECT count(*) FROM subnet WHERE cidr_block = '10.99.0.0/24'"))
          .as("a failed apply keeps the desired rows").isEqualTo(1L);
      assertThat(c.value("SELECT vpc_id FROM vpc WHERE cidr_block = '10.42.0.0/16'"))
          .as("what did succeed is recorded").asString().startsWith("vpc-");
      c.exec("UPDATE subnet SET cidr_block = '10.42.1.0/24' WHERE id = ?", subnetRow);
      c.apply();
      assertThat(c.value("SELECT subnet_id FROM subnet WHERE id = ?", subnetRow)).asString().startsWith("subnet-");
      c.exec("DELETE FROM subnet WHERE id = ?", subnetRow);
      c.exec("DELETE FROM vpc WHERE cidr_block = '10.42.0.0/16'");
      c.apply();
      assertThat(c.previewSync()).isEmpty();
    }
  }

  @Test
  void applyAndSyncReportTheirProgressToTheCaller(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_security_group")) {
      c.apply();
      c.exec("INSERT INTO security_group (description, group_name) VALUES ('progress', ?)",
          "progress-" + UUID.randomUUID());
      assertThat(notices(c, "SELECT * FROM iasql_apply()"))
          .anyMatch(n -> n.startsWith("read 5 tables in 1 region in "))
          .anyMatch(n -> n.equals("round 1: 1 cloud change to make"))
          .anyMatch(n -> n.startsWith("done: 1 create security_group"));
      assertThat(notices(c, "SELECT * FROM iasql_sync()"))
          .anyMatch(n -> n.equals("the database already matches the cloud"));
    }
  }

  /** The NOTICEs a statement raised, as psql would print them. */
  private static List<String> notices(CloudDb c, String sql) throws Exception {
    List<String> lines = new java.util.ArrayList<>();
    try (java.sql.Statement s = c.tenant().createStatement()) {
      s.execute(sql);
      for (java.sql.SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
        lines.add(w.getMessage());
      }
    }
    return lines;
  }

  @Test
  void fieldsOnlyTheCloudSetsAreRestoredByApplyNeverPushed(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_vpc")) {
      c.apply();
      c.exec("UPDATE vpc SET state = 'pending', is_default = false WHERE is_default AND region = ?", REGION);
      c.exec("UPDATE subnet SET available_ip_address_count = 1, owner_id = 'someone' WHERE region = ?", REGION);
      assertThat(c.previewApply()).as("nothing to change in the cloud").isEmpty();
      assertThat(c.apply()).as("and nothing changed there").isEmpty();
      assertThat(c.value("SELECT count(*) FROM vpc WHERE is_default AND state = 'available' AND region = ?", REGION))
          .as("the cloud's values are back").isEqualTo(1L);
      assertThat(c.value("SELECT count(*) FROM subnet WHERE region = ? AND (available_ip_address_count = 1"
          + " OR owner_id = 'someone')", REGION)).isEqualTo(0L);
      assertThat(c.previewSync()).isEmpty();
    }
  }

  static List<SecurityGroup> groups(Ec2Client ec2, String name) {
    return ec2.describeSecurityGroups(r -> r.filters(Filter.builder().name("group-name").values(name).build()))
        .securityGroups();
  }

  static List<SecurityGroupRule> rules(Ec2Client ec2, String groupId) {
    return ec2.describeSecurityGroupRules(r -> r.filters(Filter.builder().name("group-id").values(groupId).build()))
        .securityGroupRules();
  }
}
