package dev.iasql.aws.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * Replacing a VPC whose block changed, with a subnet and a security group (and its rule) in it: the preview plans the
 * dependants' replacement too, and apply does it in order (no DependencyViolation), in one go; after it the old VPC
 * is gone, the new one holds the subnet and the group, and there is nothing left to apply.
 */
@ExtendWith(IasqlExtension.class)
class ReplaceWithDependantsTest {
  @Test
  void aReplacedVpcTakesItsSubnetAndGroupsAlong(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_vpc", "aws_security_group")) {
      c.exec("INSERT INTO vpc (cidr_block) VALUES ('10.241.0.0/16'::cidr)");
      c.apply();
      c.exec("INSERT INTO subnet (vpc_id, cidr_block, availability_zone) SELECT v.id, '10.241.1.0/24'::cidr,"
          + " (SELECT z.name FROM availability_zone z WHERE z.region = v.region ORDER BY z.name LIMIT 1)"
          + " FROM vpc v WHERE v.cidr_block = '10.241.0.0/16'::cidr");
      c.exec("INSERT INTO security_group (description, group_name, vpc_id) SELECT 'app', 'replaced-with-vpc', v.id"
          + " FROM vpc v WHERE v.cidr_block = '10.241.0.0/16'::cidr");
      c.exec("INSERT INTO security_group_rule (is_egress, ip_protocol, from_port, to_port, cidr_ipv4,"
          + " security_group_id) SELECT false, 'tcp', 443, 443, '10.0.0.0/8'::cidr, id FROM security_group"
          + " WHERE group_name = 'replaced-with-vpc'");
      c.apply();
      assertThat(c.previewApply()).isEmpty();
      String oldVpc = (String) c.value("SELECT vpc_id FROM vpc WHERE cidr_block = '10.241.0.0/16'::cidr");

      c.exec("UPDATE vpc SET cidr_block = '10.242.0.0/16'::cidr WHERE vpc_id = ?", oldVpc);
      c.exec("UPDATE subnet SET cidr_block = '10.242.1.0/24'::cidr WHERE cidr_block = '10.241.1.0/24'::cidr");
      List<String> preview = c.previewApply().stream().map(r -> r.get("action") + " " + r.get("table_name"))
          .toList();
      assertThat(preview).as("the preview: %s", c.previewApply()).contains("replace vpc", "replace subnet",
          "replace security_group", "replace security_group_rule").doesNotHaveDuplicates();

      List<String> applied = c.apply().stream().map(r -> r.get("action") + " " + r.get("table_name")).toList();
      assertThat(applied).as("apply does what the preview said").containsAll(preview);
      assertThat(c.previewApply()).as("nothing left").isEmpty();

      String newVpc = (String) c.value("SELECT vpc_id FROM vpc WHERE cidr_block = '10.242.0.0/16'::cidr");
      assertThat(newVpc).isNotNull().isNotEqualTo(oldVpc);
      var ec2 = c.ec2((String) c.value("SELECT region FROM vpc WHERE vpc_id = ?", newVpc));
      assertThat(ec2.describeVpcs(b -> b.filters(Filter.builder().name("vpc-id").values(oldVpc).build())).vpcs())
          .as("the old VPC is gone").isEmpty();
      assertThat(ec2.describeSubnets(b -> b.filters(Filter.builder().name("vpc-id").values(newVpc).build()))
          .subnets()).extracting(s -> s.cidrBlock()).containsExactly("10.242.1.0/24");
      List<Map<String, Object>> group = c.rows("SELECT g.group_id, v.vpc_id FROM security_group g JOIN vpc v"
          + " ON v.id = g.vpc_id WHERE g.group_name = 'replaced-with-vpc'");
      assertThat(group).singleElement().satisfies(g -> assertThat(g.get("vpc_id")).isEqualTo(newVpc));
      assertThat(ec2.describeSecurityGroupRulesPaginator(b -> b.filters(Filter.builder().name("group-id")
          .values((String) group.get(0).get("group_id")).build())).securityGroupRules())
          .as("the group's rule, made again").anySatisfy(r -> assertThat(r.fromPort()).isEqualTo(443));

      // The JVM's moto account is shared: other tests count the VPCs and default groups of this region.
      c.exec("DELETE FROM security_group_rule WHERE security_group_id IN (SELECT g.id FROM security_group g"
          + " JOIN vpc v ON v.id = g.vpc_id WHERE v.vpc_id = ?)", newVpc);
      c.exec("DELETE FROM security_group WHERE vpc_id = (SELECT id FROM vpc WHERE vpc_id = ?)", newVpc);
      c.exec("DELETE FROM subnet WHERE vpc_id = (SELECT id FROM vpc WHERE vpc_id = ?)", newVpc);
      c.exec("DELETE FROM vpc WHERE vpc_id = ?", newVpc);
      c.apply();
      assertThat(ec2.describeVpcs(b -> b.filters(Filter.builder().name("vpc-id").values(newVpc).build())).vpcs())
          .as("cleaned up").isEmpty();
    }
  }
}
