package dev.iasql.aws.securitygroup;

import dev.iasql.aws.AwsResources;
import dev.iasql.engine.kit.Column;
import dev.iasql.engine.kit.ColumnType;
import dev.iasql.engine.kit.Reference;
import dev.iasql.engine.kit.Resources;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.kit.TableSpec;
import dev.iasql.engine.spi.CloudException;
import dev.iasql.engine.spi.WaitingFor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * {@code security_group_rule}, as IaSQL v0.0.20 has it but for one CHECK. A rule is known by what it allows, not its
 * {@code sgr-…} id: a row written without an id finds the rule AWS has (and gets the id), any other content is another
 * rule (a delete and a create), and only the description changes in place. Rows and rules compare normalised: protocol
 * {@code -1} for all (NULL too), names for 6, 17, 1 and 58, port {@code -1} for "all" (NULL too, and always for
 * protocols without ports).
 */
final class SecurityGroupRules extends AwsResources<Ec2Client>
    implements Resources.InPlace, Resources.Normalises, Resources.MadeWith {
  static final String ALL = "-1";
  private static final String GROUP = "security_group_id";
  private static final String SOURCE = "source_security_group";
  private static final Map<String, String> NUMBERS = Map.of("6", "tcp", "17", "udp", "1", "icmp", "58", "icmpv6");
  /** Protocols whose rules have ports (for ICMP: type and code). Others allow everything and report -1. */
  private static final Set<String> WITH_PORTS = Set.of("tcp", "udp", "icmp", "icmpv6");

  /**
   * IaSQL's {@code Check_security_or_ip_permissions} forbids ports on a rule from another group, which real accounts
   * are full of; this one asks what AWS asks: one target (IaSQL's {@code 0.0.0.0/0} beside a group is ignored), and
   * both ports or neither.
   */
  static final String RULE_CHECK = """
      ("from_port" IS NULL) = ("to_port" IS NULL) AND CASE
        WHEN "source_security_group" IS NULL THEN num_nonnulls("cidr_ipv4", "cidr_ipv6", "prefix_list_id") = 1
        ELSE "cidr_ipv6" IS NULL AND "prefix_list_id" IS NULL AND ("cidr_ipv4" IS NULL OR "cidr_ipv4" = '0.0.0.0/0')
      END""";

  static final TableSpec SPEC = TableSpec.regional("security_group_rule")
      .column(Column.text("security_group_rule_id").cloudAssigned())
      .column(Column.of("is_egress", ColumnType.BOOLEAN).notNull())
      .column(Column.text("ip_protocol"))
      .column(Column.of("from_port", ColumnType.INTEGER).between(-1, 65535))
      .column(Column.of("to_port", ColumnType.INTEGER).between(-1, 65535))
      .column(Column.of("cidr_ipv4", ColumnType.CIDR))
      .column(Column.of("cidr_ipv6", ColumnType.CIDR))
      .column(Column.text("prefix_list_id"))
      .column(Column.text("description"))
      .reference(Reference.to(GROUP, SecurityGroups.TABLE, SecurityGroups.GROUP_ID)
          .named("FK_54ae7b1b4edcb70ecce8499e76f"))
      .reference(Reference.to(SOURCE, SecurityGroups.TABLE, SecurityGroups.GROUP_ID)
          .named("FK_6c6a7f58211fed8abb79e6c913f"))
      .cloudId("security_group_rule_id", false)
      .identifiedBy(GROUP, "is_egress", "ip_protocol", "from_port", "to_port", "cidr_ipv4", "cidr_ipv6",
          "prefix_list_id", SOURCE)
      .primaryKey("PK_f4c5f95331113ce4a2e1978a076")
      .unique("UQ_rule", "is_egress", "ip_protocol", "from_port", "to_port", "cidr_ipv4", GROUP, TableSpec.REGION)
      .check("Check_security_or_ip_permissions", RULE_CHECK)
      .regionForeignKey("FK_2b4317dc68b3ba8fa5c9d4067c9")
      .build();

  @Override
  public Row normalise(Row v) {
    String p = blank(v.text("ip_protocol"));
    String protocol = p == null ? ALL : NUMBERS.getOrDefault(p.toLowerCase(Locale.ROOT), p.toLowerCase(Locale.ROOT));
    boolean ported = WITH_PORTS.contains(protocol);
    return v.with("ip_protocol", protocol).with("from_port", ported && v.get("from_port") != null
        ? v.get("from_port") : -1).with("to_port", ported && v.get("to_port") != null ? v.get("to_port") : -1)
        // IaSQL lets a rule from a group also say 0.0.0.0/0: AWS has no such thing, so it is ignored.
        .with("cidr_ipv4", v.get(SOURCE) == null ? v.get("cidr_ipv4") : null)
        .with("prefix_list_id", blank(v.text("prefix_list_id"))).with("description", blank(v.text("description")));
  }

  private static @Nullable String blank(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /**
   * The rules AWS gives every group (all traffic out) and a default group (all traffic in from itself) come with the
   * group when apply records a default group that had no row (a new VPC's, or after {@code delete_all_records()}).
   */
  @Override
  public @Nullable String madeWith(Row r) {
    String group = r.text(GROUP);
    if (group == null || !ALL.equals(r.text("ip_protocol")) || r.get("prefix_list_id") != null) {
      return null;
    }
    boolean awsMade = Boolean.TRUE.equals(r.get("is_egress"))
        ? r.get(SOURCE) == null && ("0.0.0.0/0".equals(r.get("cidr_ipv4")) || "::/0".equals(r.get("cidr_ipv6")))
        : group.equals(r.get(SOURCE)) && r.get("cidr_ipv4") == null && r.get("cidr_ipv6") == null;
    return awsMade ? r.region() + "/" + group : null;
  }

  @Override
  protected List<Row> list(Aws<Ec2Client> ec2) {
    return ec2.call("DescribeSecurityGroupRules", c -> c.describeSecurityGroupRulesPaginator(b -> { })
        .securityGroupRules().stream().map(x -> row(ec2, x)).toList());
  }

  private static Row row(Aws<?> ec2, SecurityGroupRule r) {
    return ec2.row().with("security_group_rule_id", r.securityGroupRuleId()).with(GROUP, r.groupId())
        .with("is_egress", Boolean.TRUE.equals(r.isEgress())).with("ip_protocol", r.ipProtocol())
        .with("from_port", r.fromPort()).with("to_port", r.toPort()).with("cidr_ipv4", r.cidrIpv4())
        .with("cidr_ipv6", r.cidrIpv6()).with("prefix_list_id", r.prefixListId())
        .with("description", r.description())
        .with(SOURCE, r.referencedGroupInfo() == null ? null : r.referencedGroupInfo().groupId());
  }

  @Override
  protected Row create(Aws<Ec2Client> ec2, Row desired) {
    String group = desired.text(GROUP);
    if (group == null) {
      throw new WaitingFor("a security group (its security_group_id is NULL)");
    }
    IpPermission permission = permission(desired);
    List<SecurityGroupRule> made;
    try {
      made = Boolean.TRUE.equals(desired.get("is_egress"))
          ? ec2.call("AuthorizeSecurityGroupEgress", c -> c.authorizeSecurityGroupEgress(
              b -> b.groupId(group).ipPermissions(permission)).securityGroupRules())
          : ec2.call("AuthorizeSecurityGroupIngress", c -> c.authorizeSecurityGroupIngress(
              b -> b.groupId(group).ipPermissions(permission)).securityGroupRules());
    } catch (CloudException e) {
      if (!"InvalidPermission.Duplicate".equals(e.errorCode())) {
        throw e;
      }
      // The rule came to exist after this round read AWS: take it over.
      made = ec2.call("DescribeSecurityGroupRules", c -> c.describeSecurityGroupRulesPaginator(
          b -> b.filters(f -> f.name("group-id").values(group))).securityGroupRules().stream().toList());
    }
    List<Row> rules = made.stream().map(r -> normalise(row(ec2, r))).toList();
    return rules.stream().filter(r -> content(r).equals(content(desired))).findFirst().or(() -> rules.size() == 1
        ? Optional.of(rules.get(0)) : Optional.empty())
        .orElseThrow(() -> new IllegalStateException("AWS answered " + content(desired) + " with " + rules));
  }

  private static List<String> content(Row normal) {
    return SPEC.identity().stream().map(c -> String.valueOf(normal.get(c))).toList();
  }

  /** Only the description changes in place (everything else is what the rule is). */
  @Override
  protected Row update(Aws<Ec2Client> ec2, Row desired, Row actual, Set<String> changed) {
    Row described = actual.with("description", desired.get("description"));
    IpPermission permission = permission(described);
    if (Boolean.TRUE.equals(actual.get("is_egress"))) {
      ec2.run("UpdateSecurityGroupRuleDescriptionsEgress", c -> c.updateSecurityGroupRuleDescriptionsEgress(
          b -> b.groupId(actual.text(GROUP)).ipPermissions(permission)));
    } else {
      ec2.run("UpdateSecurityGroupRuleDescriptionsIngress", c -> c.updateSecurityGroupRuleDescriptionsIngress(
          b -> b.groupId(actual.text(GROUP)).ipPermissions(permission)));
    }
    return described;
  }

  /** A rule whose group is gone went with it; one already revoked is gone too. */
  @Override
  protected void delete(Aws<Ec2Client> ec2, Row actual) {
    Set<String> gone = Set.of("InvalidGroup.NotFound", "InvalidPermission.NotFound",
        "InvalidSecurityGroupRuleId.NotFound");
    String group = actual.text(GROUP);
    String id = actual.text("security_group_rule_id");
    if (Boolean.TRUE.equals(actual.get("is_egress"))) {
      ec2.delete("RevokeSecurityGroupEgress", gone, c -> c.revokeSecurityGroupEgress(b -> b.groupId(group)
          .securityGroupRuleIds(id)));
    } else {
      ec2.delete("RevokeSecurityGroupIngress", gone, c -> c.revokeSecurityGroupIngress(b -> b.groupId(group)
          .securityGroupRuleIds(id)));
    }
  }

  /**
   * The one permission AWS makes exactly this rule from: a rule has one target (a CIDR, a prefix list or a group);
   * one permission with several would make several rules, which no single row could follow.
   */
  private static IpPermission permission(Row n) {
    List<String> targets = Stream.of("cidr_ipv4", "cidr_ipv6", "prefix_list_id", SOURCE)
        .filter(c -> n.get(c) != null).toList();
    if (targets.size() != 1) {
      throw new IllegalArgumentException("a security group rule needs exactly one of cidr_ipv4, cidr_ipv6,"
          + " prefix_list_id and source_security_group; this one has " + (targets.isEmpty() ? "none" : targets));
    }
    IpPermission.Builder b = IpPermission.builder().ipProtocol(n.text("ip_protocol"));
    if (WITH_PORTS.contains(n.text("ip_protocol"))) {
      b.fromPort((Integer) n.get("from_port")).toPort((Integer) n.get("to_port"));
    }
    String d = n.text("description");
    switch (targets.get(0)) {
      case "cidr_ipv4" -> b.ipRanges(r -> r.cidrIp(n.text("cidr_ipv4")).description(d));
      case "cidr_ipv6" -> b.ipv6Ranges(r -> r.cidrIpv6(n.text("cidr_ipv6")).description(d));
      case "prefix_list_id" -> b.prefixListIds(r -> r.prefixListId(n.text("prefix_list_id")).description(d));
      default -> b.userIdGroupPairs(r -> r.groupId(n.text(SOURCE)).description(d));
    }
    return b.build();
  }
}
