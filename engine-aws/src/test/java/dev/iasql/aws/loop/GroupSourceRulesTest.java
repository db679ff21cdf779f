package dev.iasql.aws.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AddPrefixListEntry;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.PrefixListId;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * Rules that let traffic in from another security group on given ports (tcp 5432 from the app servers' group), and
 * rules from a managed prefix list: what real accounts are full of and IaSQL's CHECK refused. Each direction works in a
 * region no other test uses.
 */
@ExtendWith(IasqlExtension.class)
class GroupSourceRulesTest {
  private static final String SYNC_REGION = "eu-north-1";
  private static final String APPLY_REGION = "us-east-2";
  private static final String CHECK = "Check_security_or_ip_permissions";

  @Test
  void rulesFromAGroupOnAPortAndFromAPrefixListAreSyncedIn(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_security_group")) {
      c.enable(SYNC_REGION);
      c.sync();
      Ec2Client ec2 = c.ec2(SYNC_REGION);
      String suffix = UUID.randomUUID().toString();
      String appName = "app-" + suffix;
      String pgName = "pg-" + suffix;
      String app = ec2.createSecurityGroup(r -> r.groupName(appName).description("app servers")).groupId();
      String pg = ec2.createSecurityGroup(r -> r.groupName(pgName).description("postgres")).groupId();
      String office = prefixList(ec2, "office-" + suffix);
      ec2.authorizeSecurityGroupIngress(r -> r.groupId(pg).ipPermissions(
          IpPermission.builder().ipProtocol("tcp").fromPort(5432).toPort(5432)
              .userIdGroupPairs(UserIdGroupPair.builder().groupId(app).build()).build(),
          IpPermission.builder().ipProtocol("tcp").fromPort(443).toPort(443)
              .prefixListIds(PrefixListId.builder().prefixListId(office).build()).build()));

      c.sync();
      assertThat(c.rows("SELECT r.ip_protocol, r.from_port, r.to_port, s.group_id AS source, r.prefix_list_id,"
          + " r.cidr_ipv4::text AS cidr_ipv4, r.region FROM security_group_rule r"
          + " JOIN security_group g ON g.id = r.security_group_id LEFT JOIN security_group s"
          + " ON s.id = r.source_security_group WHERE g.group_id = ? AND NOT r.is_egress ORDER BY r.from_port", pg))
          .extracting(r -> r.get("ip_protocol"), r -> r.get("from_port"), r -> r.get("to_port"),
              r -> r.get("source"), r -> r.get("prefix_list_id"), r -> r.get("cidr_ipv4"), r -> r.get("region"))
          .containsExactly(tuple("tcp", 443, 443, null, office, null, SYNC_REGION),
              tuple("tcp", 5432, 5432, app, null, null, SYNC_REGION));
      assertThat(c.value("SELECT count(*) FROM security_group_rule r JOIN security_group g"
          + " ON g.id = r.security_group_id WHERE g.group_id = ? AND NOT r.is_egress"
          + " AND r.security_group_rule_id LIKE 'sgr-%'", pg)).isEqualTo(2L);
      assertThat(c.previewSync()).as("what sync wrote compares equal to AWS").isEmpty();
      assertThat(c.previewApply()).as("and apply has nothing to push").isEmpty();

      removeThroughApply(c, ec2, office, appName, pgName);
      assertThat(c.previewSync()).isEmpty();
    }
  }

  @Test
  void rulesFromAGroupOnAPortAndFromAPrefixListAreApplied(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_security_group")) {
      c.enable(APPLY_REGION);
      c.sync();
      Ec2Client ec2 = c.ec2(APPLY_REGION);
      String suffix = UUID.randomUUID().toString();
      String app = "app-" + suffix;
      String pg = "pg-" + suffix;
      String office = prefixList(ec2, "office-" + suffix);
      c.exec("INSERT INTO security_group (description, group_name, region) VALUES ('app servers', ?, ?),"
          + " ('postgres', ?, ?)", app, APPLY_REGION, pg, APPLY_REGION);
      c.exec("INSERT INTO security_group_rule (is_egress, ip_protocol, from_port, to_port, security_group_id,"
          + " source_security_group, region) SELECT false, 'tcp', 5432, 5432, p.id, a.id, p.region"
          + " FROM security_group p, security_group a WHERE p.group_name = ? AND a.group_name = ?", pg, app);
      c.exec("INSERT INTO security_group_rule (is_egress, ip_protocol, from_port, to_port, prefix_list_id,"
          + " security_group_id, region) SELECT false, 'tcp', 443, 443, ?, id, region FROM security_group"
          + " WHERE group_name = ?", office, pg);

      assertThat(c.apply()).extracting(r -> r.get("action"), r -> r.get("table_name"))
          .containsExactlyInAnyOrder(tuple("create", "security_group"), tuple("create", "security_group"),
              tuple("create", "security_group_rule"), tuple("create", "security_group_rule"));
      String appId = (String) c.value("SELECT group_id FROM security_group WHERE group_name = ?", app);
      String pgId = (String) c.value("SELECT group_id FROM security_group WHERE group_name = ?", pg);
      List<SecurityGroupRule> inAws = ApplySyncTest.rules(ec2, pgId);
      assertThat(inAws).extracting(SecurityGroupRule::isEgress, SecurityGroupRule::ipProtocol,
              SecurityGroupRule::fromPort, SecurityGroupRule::toPort,
              r -> r.referencedGroupInfo() == null ? null : r.referencedGroupInfo().groupId(),
              SecurityGroupRule::prefixListId, SecurityGroupRule::cidrIpv4)
          .containsExactlyInAnyOrder(tuple(false, "tcp", 5432, 5432, appId, null, null),
              tuple(false, "tcp", 443, 443, null, office, null));
      assertThat(c.rows("SELECT security_group_rule_id FROM security_group_rule r JOIN security_group g"
          + " ON g.id = r.security_group_id WHERE g.group_name = ?", pg))
          .extracting(r -> r.get("security_group_rule_id"))
          .as("the ids AWS gave are written back")
          .containsExactlyInAnyOrderElementsOf(inAws.stream().map(SecurityGroupRule::securityGroupRuleId).toList());
      assertThat(c.previewApply()).as("nothing left to apply").isEmpty();
      assertThat(c.previewSync()).as("nothing to sync either").isEmpty();

      removeThroughApply(c, ec2, office, app, pg);
    }
  }

  /** Only rows; nothing is applied. */
  @Test
  void theCheckStillWantsOneTargetAndBothPortsOrNeither(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_security_group")) {
      c.exec("INSERT INTO security_group (description, group_name) VALUES ('a', 'check-a'), ('b', 'check-b')");
      String insert = "INSERT INTO security_group_rule (is_egress, ip_protocol, from_port, to_port, cidr_ipv4,"
          + " cidr_ipv6, prefix_list_id, security_group_id, source_security_group) SELECT false, 'tcp', ?, ?,"
          + " ?::cidr, ?::cidr, ?, a.id, CASE WHEN ? THEN b.id END FROM security_group a, security_group b"
          + " WHERE a.group_name = 'check-a' AND b.group_name = 'check-b'";

      // Refused: no target, one port without the other, two targets.
      for (Object[] row : List.of(
          new Object[] {22, 22, null, null, null, false},
          new Object[] {22, null, "10.0.0.0/8", null, null, false},
          new Object[] {null, 22, null, null, null, true},
          new Object[] {22, 22, "10.0.0.0/8", "::/0", null, false},
          new Object[] {22, 22, "10.0.0.0/8", null, "pl-12345678", false},
          new Object[] {22, 22, null, "::/0", null, true},
          new Object[] {22, 22, null, null, "pl-12345678", true},
          new Object[] {22, 22, "10.0.0.0/8", null, null, true})) {
        PSQLException e = Sql.failure(c.tenant(), insert, row);
        assertThat(e.getSQLState()).as(Arrays.toString(row)).isEqualTo("23514");
        assertThat(e.getServerErrorMessage().getConstraint()).isEqualTo(CHECK);
      }

      // Allowed: ports with any one target, or none; IaSQL's 0.0.0.0/0 beside a group.
      for (Object[] row : List.of(
          new Object[] {5432, 5432, null, null, null, true},
          new Object[] {null, null, null, null, null, true},
          new Object[] {5432, 5432, "0.0.0.0/0", null, null, true},
          new Object[] {443, 443, null, null, "pl-12345678", false},
          new Object[] {null, null, null, "::/0", null, false},
          new Object[] {80, 80, "10.0.0.0/8", null, null, false})) {
        c.exec(insert, row);
      }
      assertThat(c.value("SELECT count(*) FROM security_group_rule WHERE security_group_id ="
          + " (SELECT id FROM security_group WHERE group_name = 'check-a')")).isEqualTo(6L);
    }
  }

  /** Deletes the two groups' rows and their rules, applies (rules go first), then deletes the prefix list. */
  private static void removeThroughApply(CloudDb c, Ec2Client ec2, String prefixList, String app, String pg)
      throws SQLException {
    c.exec("DELETE FROM security_group_rule WHERE security_group_id IN (SELECT id FROM security_group"
        + " WHERE group_name IN (?, ?))", app, pg);
    c.exec("DELETE FROM security_group WHERE group_name IN (?, ?)", app, pg);
    c.apply();
    assertThat(ApplySyncTest.groups(ec2, app)).isEmpty();
    assertThat(ApplySyncTest.groups(ec2, pg)).isEmpty();
    ec2.deleteManagedPrefixList(r -> r.prefixListId(prefixList));
  }

  private static String prefixList(Ec2Client ec2, String name) {
    return ec2.createManagedPrefixList(r -> r.prefixListName(name).addressFamily("IPv4").maxEntries(5)
        .entries(AddPrefixListEntry.builder().cidr("203.0.113.0/24").description("office").build()))
        .prefixList().prefixListId();
  }
}
