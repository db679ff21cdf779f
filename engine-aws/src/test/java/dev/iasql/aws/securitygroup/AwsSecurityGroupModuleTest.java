package dev.iasql.aws.securitygroup;

import static dev.iasql.testkit.Sql.exec;
import static dev.iasql.testkit.Sql.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.aws.vpc.AwsTestDb;
import dev.iasql.aws.vpc.AwsVpcModule;
import dev.iasql.aws.vpc.Mappers;
import dev.iasql.aws.vpc.MotoContext;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.RowClaim;
import dev.iasql.engine.spi.WaitingFor;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * aws_security_group's special cases, its mappers against moto and a real database step by step as apply and sync use
 * them (what every kit table does is {@link SecurityGroupConformanceTest}'s). Each test works in a region of its own,
 * so the tests of one moto server do not see each other's resources.
 */
@ExtendWith(IasqlExtension.class)
class AwsSecurityGroupModuleTest {
  private final AwsSecurityGroupModule module = new AwsSecurityGroupModule();
  private final Mapper<Row> groups = Mappers.of(module, "security_group");
  private final Mapper<Row> rules = Mappers.of(module, "security_group_rule");

  @Test
  void readCloudSeesTheDefaultGroupAndItsEgressRuleMadeWithIt() {
    String region = "sa-east-1";
    try (MotoContext ctx = MotoContext.of(region)) {
      String defaultVpc = defaultVpcId(ctx, region);
      Row dflt = groups.readCloud(ctx, region).stream()
          .filter(g -> "default".equals(g.get("group_name")) && defaultVpc.equals(g.get("vpc_id"))).findFirst()
          .orElseThrow();
      assertThat(groups.ownedByCloud(dflt)).isTrue();
      assertThat(dflt.get("owner_id")).isEqualTo(Moto.ACCOUNT_ID);
      String groupId = dflt.text("group_id");
      assertThat(groups.cloudKey(dflt)).isEqualTo(region + "/" + groupId);

      List<Row> own = rules.readCloud(ctx, region).stream()
          .filter(r -> Objects.equals(r.get("security_group_id"), groupId)).toList();
      assertThat(own).anySatisfy(r -> {
        assertThat(r.get("is_egress")).isEqualTo(true);
        assertThat(r.get("ip_protocol")).isEqualTo("-1");
        assertThat(r.get("cidr_ipv4")).isEqualTo("0.0.0.0/0");
        assertThat(r.text("security_group_rule_id")).startsWith("sgr-");
        assertThat(rules.cloudKey(r)).as("known by what it allows")
            .isEqualTo(region + "/" + groupId + "/true/-1/-1/-1/0.0.0.0/0///");
        assertThat(rules.madeWith(r)).as("AWS made it with the group").isEqualTo(groups.cloudKey(dflt));
      });
      assertThat(own).allSatisfy(r -> assertThat(rules.ownedByCloud(r)).isFalse());
    }
  }

  @Test
  void importedRowsCompareNoneWithWhatAwsHas(TestDatabase db) throws Exception {
    String region = "ap-southeast-1";
    AwsTestDb.install(db, region, "aws_security_group");
    try (MotoContext ctx = MotoContext.of(region); Connection c = db.admin()) {
      // Rules of every kind, made outside the DB.
      Ec2Client ec2 = ctx.ec2(region);
      String vpc = defaultVpcId(ctx, region);
      String web = ec2.createSecurityGroup(b -> b.groupName("web").description("web servers").vpcId(vpc)).groupId();
      String lb = ec2.createSecurityGroup(b -> b.groupName("lb").description("load balancers").vpcId(vpc)).groupId();
      ec2.authorizeSecurityGroupIngress(b -> b.groupId(web).ipPermissions(
          IpPermission.builder().ipProtocol("tcp").fromPort(22).toPort(22)
              .ipRanges(IpRange.builder().cidrIp("10.0.0.0/8").description("ssh").build()).build(),
          IpPermission.builder().ipProtocol("tcp").fromPort(443).toPort(443)
              .ipv6Ranges(Ipv6Range.builder().cidrIpv6("::/0").build()).build(),
          IpPermission.builder().ipProtocol("icmp").fromPort(-1).toPort(-1)
              .ipRanges(IpRange.builder().cidrIp("192.168.1.7/32").build()).build(),
          IpPermission.builder().ipProtocol("-1").userIdGroupPairs(UserIdGroupPair.builder().groupId(lb).build())
              .build()));

      AwsVpcModule vpcModule = new AwsVpcModule();
      Mappers.importMissing(Mappers.of(vpcModule, "availability_zone"), ctx, c, region);
      Mappers.importMissing(Mappers.of(vpcModule, "vpc"), ctx, c, region);
      Mappers.assertRoundTrip(groups, ctx, c, region);
      Mappers.assertRoundTrip(rules, ctx, c, region);
      assertThat(value(c, "SELECT count(*) FROM security_group_rule r JOIN security_group g"
          + " ON g.id = r.security_group_id WHERE g.group_id = ?", web)).isEqualTo(5L);
      assertThat(value(c, "SELECT s.group_name FROM security_group_rule r JOIN security_group s"
          + " ON s.id = r.source_security_group")).isEqualTo("lb");
      assertThat(value(c, "SELECT v.is_default FROM security_group g JOIN vpc v ON v.id = g.vpc_id"
          + " WHERE g.group_id = ?", web)).isEqualTo(true);

      ec2.deleteSecurityGroup(b -> b.groupId(web));
      ec2.deleteSecurityGroup(b -> b.groupId(lb));
    }
  }

  @Test
  void createsAGroupInTheDefaultVpcWithoutItsDefaultEgressAndARuleWrittenAnyHow(TestDatabase db) throws Exception {
    String region = "ap-northeast-2";
    AwsTestDb.install(db, region, "aws_security_group");
    try (MotoContext ctx = MotoContext.of(region); Connection c = db.admin(); Connection tenant = db.tenant()) {
      importVpcs(ctx, c, region);
      exec(tenant, "INSERT INTO security_group (description, group_name) VALUES ('web servers', 'web')");
      Row row = newRow(groups, c);
      String defaultVpc = defaultVpcId(ctx, region);

      Row created = Mappers.create(groups, ctx, c, row);
      assertThat(created.text("group_id")).startsWith("sg-");
      assertThat(created.get("vpc_id")).as("a group without a VPC goes into the default VPC").isEqualTo(defaultVpc);
      assertThat(created.get("owner_id")).isEqualTo(Moto.ACCOUNT_ID);
      String groupId = Objects.requireNonNull(created.text("group_id"));
      Row fresh = Mappers.cloudFor(groups, ctx, region, region + "/" + groupId);
      assertThat(groups.compare(Mappers.dbRowFor(groups, c, fresh), fresh)).isEqualTo(Difference.NONE);
      assertThat(groups.ownedByCloud(fresh)).isFalse();
      assertThat(groups.claim(fresh)).as("tagged with its row at create")
          .isEqualTo(new RowClaim(MotoContext.DATABASE, Objects.requireNonNull(row.id())));
      assertThat(value(c, "SELECT v.vpc_id FROM security_group g JOIN vpc v ON v.id = g.vpc_id"
          + " WHERE g.group_id = ?", groupId)).as("the VPC is written back").isEqualTo(defaultVpc);
      assertThat(awsRules(ctx, region, groupId)).as("the default egress rule was revoked").isEmpty();

      // Written as a user might: protocol by number, in upper case, no ports for all protocols.
      exec(tenant, "INSERT INTO security_group_rule (is_egress, ip_protocol, from_port, to_port, cidr_ipv4,"
          + " security_group_id) SELECT false, '6', 22, 22, '0.0.0.0/0', id FROM security_group"
          + " WHERE group_name = 'web'");
      Row ruleRow = only(rulesOf(c, groupId));
      String key = Objects.requireNonNull(rules.cloudKey(ruleRow));
      assertThat(key).isEqualTo(region + "/" + groupId + "/false/tcp/22/22/0.0.0.0/0///");
      Row rule = Mappers.create(rules, ctx, c, ruleRow);
      assertThat(rule.text("security_group_rule_id")).startsWith("sgr-");
      Row freshRule = Mappers.cloudFor(rules, ctx, region, key);
      assertThat(rules.compare(Mappers.dbRowFor(rules, c, freshRule), freshRule)).isEqualTo(Difference.NONE);
      assertThat(value(c, "SELECT ip_protocol FROM security_group_rule WHERE id = ?", ruleRow.id()))
          .as("the row keeps its spelling").isEqualTo("6");
      assertThat(value(c, "SELECT r.security_group_rule_id FROM security_group_rule r JOIN security_group g"
          + " ON g.id = r.security_group_id WHERE g.group_id = ?", groupId)).isEqualTo(rule.get(
              "security_group_rule_id"));

      exec(tenant, "UPDATE security_group_rule SET description = 'ssh' WHERE id = ?", ruleRow.id());
      Row described = only(rulesOf(c, groupId));
      assertThat(rules.compare(described, freshRule)).isEqualTo(Difference.UPDATE);
      rules.updateDb(c, described, rules.update(ctx, described, freshRule));
      Row afterUpdate = Mappers.cloudFor(rules, ctx, region, key);
      assertThat(afterUpdate.get("description")).isEqualTo("ssh");
      assertThat(rules.compare(Mappers.dbRowFor(rules, c, afterUpdate), afterUpdate)).isEqualTo(Difference.NONE);

      exec(tenant, "UPDATE security_group_rule SET from_port = 2222, to_port = 2222 WHERE id = ?", ruleRow.id());
      assertThat(rules.cloudKey(only(rulesOf(c, groupId)))).as("another port is another rule").isNotEqualTo(key)
          .isEqualTo(region + "/" + groupId + "/false/tcp/2222/2222/0.0.0.0/0///");

      rules.delete(ctx, afterUpdate);
      assertThat(awsRules(ctx, region, groupId)).isEmpty();
      rules.delete(ctx, afterUpdate);
      groups.delete(ctx, fresh);
      assertThat(Mappers.byKey(groups, groups.readCloud(ctx, region))).doesNotContainKey(groups.cloudKey(fresh));
      groups.delete(ctx, fresh);
      rules.delete(ctx, afterUpdate);
    }
  }

  @Test
  void aKeptDefaultEgressIsARuleToCreateAndRulesWaitForTheirGroups(TestDatabase db) throws Exception {
    String region = "eu-west-3";
    AwsTestDb.install(db, region, "aws_security_group");
    try (MotoContext ctx = MotoContext.of(region); Connection c = db.admin(); Connection tenant = db.tenant()) {
      importVpcs(ctx, c, region);
      exec(tenant, "INSERT INTO security_group (description, group_name) VALUES ('api servers', 'api')");
      exec(tenant, "INSERT INTO security_group (description, group_name) VALUES ('workers', 'worker')");
      exec(tenant, "INSERT INTO security_group_rule (is_egress, ip_protocol, from_port, to_port, cidr_ipv4,"
          + " security_group_id) SELECT true, '-1', -1, -1, '0.0.0.0/0', id FROM security_group"
          + " WHERE group_name = 'api'");
      exec(tenant, "INSERT INTO security_group_rule (is_egress, ip_protocol, security_group_id,"
          + " source_security_group) SELECT false, '-1', a.id, w.id FROM security_group a, security_group w"
          + " WHERE a.group_name = 'api' AND w.group_name = 'worker'");

      List<Row> waitingRules = rules.readDb(c).stream().filter(r -> r.awaiting() != null).toList();
      assertThat(waitingRules).hasSize(2);
      Row api = rowNamed(c, "api");
      for (Row waiting : waitingRules) {
        assertThat(rules.cloudKey(waiting)).isNull();
        assertThatThrownBy(() -> rules.create(ctx, waiting)).isInstanceOf(WaitingFor.class)
            .hasMessage("waiting for security_group row " + api.id());
      }
      Row created = Mappers.create(groups, ctx, c, api);
      String apiId = Objects.requireNonNull(created.text("group_id"));
      assertThat(awsRules(ctx, region, apiId)).as("a new group starts with the rules its rows say: none yet").isEmpty();

      Row fromSource = only(rulesOf(c, apiId).stream().filter(r -> r.get("is_egress").equals(false)).toList());
      assertThat(rules.cloudKey(fromSource)).isNull();
      assertThatThrownBy(() -> rules.create(ctx, fromSource)).isInstanceOf(WaitingFor.class)
          .hasMessage("waiting for security_group row " + rowNamed(c, "worker").id());

      Row egressRow = only(rulesOf(c, apiId).stream().filter(r -> r.get("is_egress").equals(true)).toList());
      Row egress = Mappers.create(rules, ctx, c, egressRow);
      assertThat(awsRules(ctx, region, apiId)).as("the egress rule the rows keep, made by its own create")
          .singleElement().satisfies(r -> assertThat(r.securityGroupRuleId()).isEqualTo(
              egress.get("security_group_rule_id")));
      assertThat(rules.create(ctx, egressRow).get("security_group_rule_id"))
          .as("creating an existing rule takes it over").isEqualTo(egress.get("security_group_rule_id"));
      assertThat(rules.compare(Mappers.dbRowFor(rules, c, egress), egress)).isEqualTo(Difference.NONE);

      Row worker = Mappers.create(groups, ctx, c, rowNamed(c, "worker"));
      Row sourceRow = only(rulesOf(c, apiId).stream().filter(r -> r.get("is_egress").equals(false)).toList());
      assertThat(sourceRow.get("source_security_group")).isEqualTo(worker.get("group_id"));
      Row sourceRule = Mappers.create(rules, ctx, c, sourceRow);
      Row freshSource = Mappers.cloudFor(rules, ctx, region, Objects.requireNonNull(rules.cloudKey(sourceRule)));
      assertThat(freshSource.get("source_security_group")).isEqualTo(worker.get("group_id"));
      assertThat(rules.compare(Mappers.dbRowFor(rules, c, freshSource), freshSource)).isEqualTo(Difference.NONE);

      groups.delete(ctx, created);
      groups.delete(ctx, worker);
    }
  }

  @Test
  void aNewNameDescriptionOrVpcReplacesAGroupButTheDefaultGroupIsPutBack(TestDatabase db) throws Exception {
    String region = "eu-south-1";
    AwsTestDb.install(db, region, "aws_security_group");
    try (MotoContext ctx = MotoContext.of(region); Connection c = db.admin(); Connection tenant = db.tenant()) {
      importVpcs(ctx, c, region);
      Mappers.importMissing(groups, ctx, c, region);
      exec(tenant, "INSERT INTO security_group (description, group_name) VALUES ('cache', 'cache')");
      Row created = Mappers.create(groups, ctx, c, newRow(groups, c));
      Row fresh = Mappers.cloudFor(groups, ctx, region, Objects.requireNonNull(groups.cloudKey(created)));

      exec(tenant, "UPDATE security_group SET group_name = 'redis' WHERE group_id = ?", created.get("group_id"));
      assertThat(groups.compare(Mappers.dbRowFor(groups, c, fresh), fresh)).isEqualTo(Difference.REPLACE);
      exec(tenant, "UPDATE security_group SET group_name = 'cache', description = 'redis' WHERE group_id = ?",
          created.get("group_id"));
      assertThat(groups.compare(Mappers.dbRowFor(groups, c, fresh), fresh)).isEqualTo(Difference.REPLACE);
      exec(tenant, "UPDATE security_group SET description = 'cache', owner_id = NULL WHERE group_id = ?",
          created.get("group_id"));
      assertThat(groups.compare(Mappers.dbRowFor(groups, c, fresh), fresh)).isEqualTo(Difference.CLOUD_FIELDS);
      exec(tenant, "UPDATE security_group SET owner_id = ?, vpc_id = NULL WHERE group_id = ?", Moto.ACCOUNT_ID,
          created.get("group_id"));
      assertThat(groups.compare(Mappers.dbRowFor(groups, c, fresh), fresh)).as("no VPC: the one AWS picked")
          .isEqualTo(Difference.CLOUD_FIELDS);

      Row dflt = groups.readCloud(ctx, region).stream().filter(groups::ownedByCloud).findFirst().orElseThrow();
      exec(tenant, "UPDATE security_group SET group_name = 'not-default' WHERE group_id = ?", dflt.get("group_id"));
      Row renamedDefault = Mappers.dbRowFor(groups, c, dflt);
      assertThat(groups.compare(renamedDefault, dflt)).isEqualTo(Difference.CLOUD_FIELDS);
      groups.updateDb(c, renamedDefault, dflt);
      assertThat(groups.compare(Mappers.dbRowFor(groups, c, dflt), dflt)).isEqualTo(Difference.NONE);

      // A group in a VPC that has no AWS id yet waits for it.
      exec(tenant, "INSERT INTO vpc (cidr_block) VALUES ('10.40.0.0/16')");
      exec(tenant, "INSERT INTO security_group (description, group_name, vpc_id) SELECT 'db', 'db', id FROM vpc"
          + " WHERE cidr_block = '10.40.0.0/16'");
      Row waiting = newRow(groups, c);
      assertThat(waiting.get("vpc_id")).isNull();
      assertThatThrownBy(() -> groups.create(ctx, waiting)).isInstanceOf(WaitingFor.class)
          .hasMessageStartingWith("waiting for vpc row ");

      groups.delete(ctx, fresh);
    }
  }

  /** A group of a VPC without a row cannot be recorded, but the default group of one is left out quietly. */
  @Test
  void aGroupOfAVpcWithoutARowIsRefusedButADefaultGroupIsLeftOut(TestDatabase db) throws Exception {
    String region = "ca-central-1";
    AwsTestDb.install(db, region, "aws_security_group");
    try (MotoContext ctx = MotoContext.of(region); Connection c = db.admin()) {
      Row dflt = groups.readCloud(ctx, region).stream().filter(groups::ownedByCloud).findFirst().orElseThrow()
          .with("vpc_id", "vpc-0123456789abcdef0");
      long before = (Long) value(c, "SELECT count(*) FROM security_group");
      assertThat(groups.insertDb(c, dflt)).isNull();
      Row mine = dflt.with("group_name", "mine");
      assertThatThrownBy(() -> groups.insertDb(c, mine)).isInstanceOf(SQLException.class)
          .hasMessageContaining("security_group mine cannot be recorded")
          .hasMessageContaining("vpc_id vpc-0123456789abcdef0")
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23503");
      assertThat(value(c, "SELECT count(*) FROM security_group")).isEqualTo(before);
    }
  }

  private void importVpcs(MotoContext ctx, Connection c, String region) throws SQLException {
    AwsVpcModule vpcModule = new AwsVpcModule();
    Mappers.importMissing(Mappers.of(vpcModule, "vpc"), ctx, c, region);
  }

  private static String defaultVpcId(MotoContext ctx, String region) {
    return ctx.ec2(region).describeVpcs(b -> b.filters(Filter.builder().name("is-default").values("true").build()))
        .vpcs().get(0).vpcId();
  }

  private static List<software.amazon.awssdk.services.ec2.model.SecurityGroupRule> awsRules(MotoContext ctx,
      String region, String groupId) {
    return ctx.ec2(region).describeSecurityGroupRules(
        b -> b.filters(Filter.builder().name("group-id").values(groupId).build())).securityGroupRules();
  }

  private List<Row> rulesOf(Connection c, String groupId) throws SQLException {
    return rules.readDb(c).stream().filter(r -> groupId.equals(r.get("security_group_id"))).toList();
  }

  private Row rowNamed(Connection c, String name) throws SQLException {
    return groups.readDb(c).stream().filter(g -> name.equals(g.get("group_name"))).findFirst().orElseThrow();
  }

  /** The one row that has no cloud key yet. */
  private static <E> E newRow(Mapper<E> m, Connection c) throws SQLException {
    return only(m.readDb(c).stream().filter(e -> m.cloudKey(e) == null).toList());
  }

  private static <E> E only(List<E> values) {
    assertThat(values).hasSize(1);
    return values.get(0);
  }
}
