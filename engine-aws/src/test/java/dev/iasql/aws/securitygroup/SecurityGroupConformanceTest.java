package dev.iasql.aws.securitygroup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.aws.MotoClient;
import dev.iasql.aws.RowTag;
import dev.iasql.aws.kit.ModuleConformance;
import dev.iasql.engine.kit.TableSpec;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * {@code aws_security_group}'s {@code security_group} passes the kit's conformance suite; and its rules' typed columns
 * refuse bad values at INSERT.
 */
class SecurityGroupConformanceTest extends ModuleConformance {
  @Override
  protected String module() {
    return "aws_security_group";
  }

  @Override
  protected TableSpec spec() {
    return SecurityGroups.SPEC;
  }

  @Override
  protected Map<String, Object> sample(String name) {
    return Map.of("group_name", name, "description", "made by the suite");
  }

  /** EC2 changes nothing of a group in place. */
  @Override
  protected Map<String, Object> inPlaceChange(String name) {
    return Map.of();
  }

  @Override
  protected Map<String, Object> replacingChange(String name) {
    return Map.of("description", "described again");
  }

  @Override
  protected String replaceReason() {
    return "description cannot change in place";
  }

  @Override
  protected Set<String> cloudNames(Moto.Keys keys, String region) {
    try (Ec2Client ec2 = client(keys, region)) {
      return ec2.describeSecurityGroupsPaginator(b -> { }).securityGroups().stream().map(g -> g.groupName())
          .collect(Collectors.toSet());
    }
  }

  @Override
  protected void createOutOfBand(Moto.Keys keys, String region, String name) {
    create(keys, region, name, null);
  }

  @Override
  protected void createLost(Moto.Keys keys, String region, String name, String database, int rowId) {
    create(keys, region, name, RowTag.tag(database, SecurityGroups.TABLE, rowId));
  }

  /** A group as apply leaves one whose row holds no rules: without AWS's default egress rule. */
  private static void create(Moto.Keys keys, String region, String name,
      software.amazon.awssdk.services.ec2.model.@org.jspecify.annotations.Nullable Tag tag) {
    try (Ec2Client ec2 = client(keys, region)) {
      String id = ec2.createSecurityGroup(b -> {
        b.groupName(name).description("made by the suite");
        if (tag != null) {
          b.tagSpecifications(t -> t.resourceType(ResourceType.SECURITY_GROUP).tags(tag));
        }
      }).groupId();
      ec2.revokeSecurityGroupEgress(b -> b.groupId(id).ipPermissions(p -> p.ipProtocol("-1")
          .ipRanges(r -> r.cidrIp("0.0.0.0/0"))));
    }
  }

  @Override
  protected void deleteOutOfBand(Moto.Keys keys, String region, String name) {
    try (Ec2Client ec2 = client(keys, region)) {
      ec2.deleteSecurityGroup(b -> b.groupName(name));
    }
  }

  @Test
  void aRulesTypedColumnsRefuseBadValuesAtInsertNamingTheColumn() throws Exception {
    String name = "typed-" + UUID.randomUUID();
    Sql.exec(tenant(), "INSERT INTO security_group (group_name, description) VALUES (?, 'typed')", name);
    String insert = "INSERT INTO security_group_rule (is_egress, ip_protocol, from_port, to_port, cidr_ipv4,"
        + " security_group_id) SELECT false, 'tcp', ?, ?, CAST(? AS cidr), id FROM security_group WHERE group_name = ?";
    PSQLException port = Sql.failure(tenant(), insert, 70000, 70000, "10.0.0.0/8", name);
    assertThat(port.getSQLState()).as("a port beyond AWS's range").isEqualTo("23514");
    assertThat(port.getMessage()).contains("security_group_rule_from_port_check");
    PSQLException cidr = Sql.failure(tenant(), insert, 22, 22, "10.0.0.300/8", name);
    assertThat(cidr.getSQLState()).as("no CIDR").isEqualTo("22P02");
    assertThat(cidr.getMessage()).contains("cidr").contains("10.0.0.300/8");
    Sql.exec(tenant(), insert, 22, 22, "10.0.0.0/8", name);
    assertThat(Sql.value(tenant(), "SELECT count(*) FROM security_group_rule r JOIN security_group g"
        + " ON g.id = r.security_group_id WHERE g.group_name = ?", name)).as("a good rule goes in").isEqualTo(1L);
  }

  private static Ec2Client client(Moto.Keys keys, String region) {
    return MotoClient.of(Ec2Client.builder(), keys, region);
  }
}
