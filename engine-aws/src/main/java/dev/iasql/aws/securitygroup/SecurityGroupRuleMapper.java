package dev.iasql.aws.securitygroup;

import static java.util.Objects.requireNonNull;

import dev.iasql.aws.AwsErrors;
import dev.iasql.aws.Jdbc;
import dev.iasql.aws.RegionalMapper;
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.CloudException;
import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.WaitingFor;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupRulesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;

/**
 * The {@code security_group_rule} table. A rule is identified by its content ({@link RuleContent#key}), not its
 * {@code sgr-…} id, so that a row written without an id finds the rule AWS has with the same content (and gets the id
 * written back), and any change to what a rule allows is a delete and a create. Only the description changes in place.
 */
final class SecurityGroupRuleMapper implements RegionalMapper<SecurityGroupRule> {
  static final String TABLE = "security_group_rule";
  private static final Logger LOG = LoggerFactory.getLogger(SecurityGroupRuleMapper.class);
  private static final Set<String> GONE =
      Set.of("InvalidGroup.NotFound", "InvalidPermission.NotFound", "InvalidSecurityGroupRuleId.NotFound");
  private static final String DUPLICATE = "InvalidPermission.Duplicate";

  private static final String SELECT = "SELECT r.id, r.security_group_rule_id, g.group_id, r.is_egress,"
      + " r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4::text AS cidr_ipv4, r.cidr_ipv6::text AS cidr_ipv6,"
      + " r.prefix_list_id, r.description, r.region, s.group_id AS source_group_id,"
      + " CASE WHEN g.id IS NULL THEN 'a security group (its security_group_id is NULL)'"
      + " WHEN g.group_id IS NULL THEN 'security group ' || g.group_name"
      + " WHEN s.id IS NOT NULL AND s.group_id IS NULL THEN 'security group ' || s.group_name END AS awaiting"
      + " FROM security_group_rule r"
      + " LEFT JOIN security_group g ON g.id = r.security_group_id AND g.region = r.region"
      + " LEFT JOIN security_group s ON s.id = r.source_security_group ORDER BY r.id";
  // Inserts nothing when the group (or the named source group) has no row: the caller reports that.
  private static final String INSERT = "INSERT INTO security_group_rule (security_group_rule_id, is_egress,"
      + " ip_protocol, from_port, to_port, cidr_ipv4, cidr_ipv6, prefix_list_id, description, region,"
      + " security_group_id, source_security_group)"
      + " SELECT ?, ?, ?, ?, ?, ?::cidr, ?::cidr, ?, ?, g.region, g.id, s.id FROM security_group g"
      + " LEFT JOIN security_group s ON s.group_id = ? AND s.region = g.region"
      + " WHERE g.group_id = ? AND g.region = ? AND (?::text IS NULL OR s.id IS NOT NULL)";
  private static final String UPDATE =
      "UPDATE security_group_rule SET security_group_rule_id = ?, description = ? WHERE id = ?";

  @Override
  public String table() {
    return TABLE;
  }

  @Override
  public Set<String> dependsOn() {
    return Set.of(SecurityGroupMapper.TABLE);
  }

  @Override
  public @Nullable String cloudKey(SecurityGroupRule e) {
    if (e.awaiting() != null || e.groupId() == null) {
      return null;
    }
    return RuleContent.of(e).key(e.region(), e.groupId(), e.isEgress());
  }

  @Override
  public String describe(SecurityGroupRule e) {
    if (e.ruleId() != null) {
      return e.ruleId();
    }
    RuleContent r = RuleContent.of(e);
    String target = Objects.requireNonNullElse(r.cidrIpv4(), Objects.requireNonNullElse(r.cidrIpv6(),
        Objects.requireNonNullElse(r.prefixListId(), Objects.requireNonNullElse(r.sourceGroupId(), "?"))));
    return (e.isEgress() ? "egress " : "ingress ") + r.protocol() + " " + r.fromPort() + "-" + r.toPort() + " "
        + (e.isEgress() ? "to " : "from ") + target + " of " + Objects.requireNonNullElse(e.groupId(), "a new group");
  }

  /**
   * The rules AWS gives every group (all traffic out) and a default group (all traffic in from itself) belong to the
   * group when apply records a default group that had no row: a new VPC's, or one after {@code delete_all_records()}.
   * Recorded with it, they are kept as AWS made them; a rule row deleted while its group's row stays is revoked.
   */
  @Override
  public @Nullable String madeWith(SecurityGroupRule cloud) {
    String group = cloud.groupId();
    if (group == null || !RuleContent.ALL_PROTOCOLS.equals(cloud.ipProtocol()) || cloud.prefixListId() != null) {
      return null;
    }
    boolean awsMade = cloud.isEgress()
        ? cloud.sourceGroupId() == null && ("0.0.0.0/0".equals(cloud.cidrIpv4()) || "::/0".equals(cloud.cidrIpv6()))
        : group.equals(cloud.sourceGroupId()) && cloud.cidrIpv4() == null && cloud.cidrIpv6() == null;
    return awsMade ? cloud.region() + "/" + group : null;
  }

  /** Equal keys mean equal content; what is left is the description (editable) and the id (AWS's). */
  @Override
  public Difference compare(SecurityGroupRule db, SecurityGroupRule cloud) {
    if (!Objects.equals(RuleContent.blankToNull(db.description()), RuleContent.blankToNull(cloud.description()))) {
      return Difference.UPDATE;
    }
    if (!Objects.equals(db.ruleId(), cloud.ruleId())) {
      return Difference.CLOUD_FIELDS;
    }
    return Difference.NONE;
  }

  // ---- DB side ----

  @Override
  public List<SecurityGroupRule> readDb(Connection c) throws SQLException {
    return Jdbc.query(c, SELECT, rs -> new SecurityGroupRule(rs.getInt("id"), rs.getString("security_group_rule_id"),
        rs.getString("group_id"), rs.getBoolean("is_egress"), rs.getString("ip_protocol"),
        rs.getObject("from_port", Integer.class), rs.getObject("to_port", Integer.class), rs.getString("cidr_ipv4"),
        rs.getString("cidr_ipv6"), rs.getString("prefix_list_id"), rs.getString("description"),
        rs.getString("region"), rs.getString("source_group_id"), rs.getString("awaiting")));
  }

  @Override
  public @Nullable Integer insertDb(Connection c, SecurityGroupRule cloud) throws SQLException {
    Integer inserted = Jdbc.insertReturningId(c, INSERT, cloud.ruleId(), cloud.isEgress(), cloud.ipProtocol(),
        cloud.fromPort(), cloud.toPort(), cloud.cidrIpv4(), cloud.cidrIpv6(), cloud.prefixListId(), cloud.description(),
        cloud.sourceGroupId(), cloud.groupId(), cloud.region(), cloud.sourceGroupId());
    if (inserted == null && madeWith(cloud) != null) {
      // AWS's rule of a default group of a VPC the DB does not hold, left out as SecurityGroupMapper leaves the group.
      LOG.debug("not recording {} of {}: the group has no row", cloud.ruleId(), cloud.groupId());
      return null;
    }
    if (inserted == null) {
      throw new SQLException("security group rule " + cloud.ruleId() + " cannot be recorded: its group "
          + cloud.groupId() + (cloud.sourceGroupId() == null ? "" : " or its source group " + cloud.sourceGroupId())
          + " has no row in security_group", "23503");
    }
    return inserted;
  }

  @Override
  public void updateDb(Connection c, SecurityGroupRule db, SecurityGroupRule cloud) throws SQLException {
    Jdbc.update(c, UPDATE, cloud.ruleId(), cloud.description(), requireNonNull(db.id(), "db row without id"));
  }

  // ---- cloud side ----

  @Override
  public List<SecurityGroupRule> readCloud(CloudContext ctx, @Nullable String region) {
    String r = requireNonNull(region, "security_group_rule is regional");
    Ec2Client ec2 = ctx.client(Ec2Client.class, r);
    return AwsErrors.call("DescribeSecurityGroupRules", r, () -> ec2.describeSecurityGroupRulesPaginator(
        DescribeSecurityGroupRulesRequest.builder().build()).securityGroupRules().stream()
        .map(x -> fromAws(x, r)).toList());
  }

  private static SecurityGroupRule fromAws(software.amazon.awssdk.services.ec2.model.SecurityGroupRule r,
      String region) {
    String source = r.referencedGroupInfo() == null ? null : r.referencedGroupInfo().groupId();
    return new SecurityGroupRule(null, r.securityGroupRuleId(), r.groupId(), Boolean.TRUE.equals(r.isEgress()),
        r.ipProtocol(), r.fromPort(), r.toPort(), r.cidrIpv4(), r.cidrIpv6(), r.prefixListId(), r.description(),
        region, source, null);
  }

  @Override
  public SecurityGroupRule create(CloudContext ctx, SecurityGroupRule desired) {
    String groupId = desired.groupId();
    if (desired.awaiting() != null || groupId == null) {
      throw new WaitingFor(Objects.requireNonNullElse(desired.awaiting(), "the rule's security group"));
    }
    String region = desired.region();
    Ec2Client ec2 = ctx.client(Ec2Client.class, region);
    IpPermission permission = RuleContent.of(desired).permission(desired.description());
    String key = requireNonNull(cloudKey(desired));
    List<software.amazon.awssdk.services.ec2.model.SecurityGroupRule> made;
    try {
      made = desired.isEgress()
          ? AwsErrors.call("AuthorizeSecurityGroupEgress", region, () -> ec2.authorizeSecurityGroupEgress(
              b -> b.groupId(groupId).ipPermissions(permission)).securityGroupRules())
          : AwsErrors.call("AuthorizeSecurityGroupIngress", region, () -> ec2.authorizeSecurityGroupIngress(
              b -> b.groupId(groupId).ipPermissions(permission)).securityGroupRules());
    } catch (CloudException e) {
      if (!DUPLICATE.equals(e.errorCode())) {
        throw e;
      }
      // The rule came to exist after this round read AWS (the egress rule a new group starts with): take it over.
      SecurityGroupRule existing = groupRules(ec2, region, groupId).stream().filter(r -> key.equals(cloudKey(r)))
          .findFirst().orElseThrow(() -> e);
      LOG.debug("{} already existed as {}", key, existing.ruleId());
      return existing;
    }
    List<SecurityGroupRule> rules = made.stream().map(r -> fromAws(r, region)).toList();
    SecurityGroupRule out = rules.stream().filter(r -> key.equals(cloudKey(r))).findFirst()
        .orElseGet(() -> rules.size() == 1 ? rules.get(0) : null);
    if (out == null) {
      throw new IllegalStateException("AWS answered the rule " + key + " with " + rules.size() + " rules: " + rules);
    }
    LOG.debug("created {} as {}", key, out.ruleId());
    return out;
  }

  private static List<SecurityGroupRule> groupRules(Ec2Client ec2, String region, String groupId) {
    return AwsErrors.call("DescribeSecurityGroupRules", region, () -> ec2.describeSecurityGroupRulesPaginator(
        b -> b.filters(Filter.builder().name("group-id").values(groupId).build())).securityGroupRules().stream()
        .map(x -> fromAws(x, region)).toList());
  }

  /** Only the description changes in place (everything else is the key). */
  @Override
  public SecurityGroupRule update(CloudContext ctx, SecurityGroupRule desired, SecurityGroupRule actual) {
    String region = actual.region();
    String groupId = requireNonNull(actual.groupId(), "actual rule without group");
    Ec2Client ec2 = ctx.client(Ec2Client.class, region);
    IpPermission permission = RuleContent.of(actual).permission(desired.description());
    if (actual.isEgress()) {
      AwsErrors.run("UpdateSecurityGroupRuleDescriptionsEgress", region, () -> ec2
          .updateSecurityGroupRuleDescriptionsEgress(b -> b.groupId(groupId).ipPermissions(permission)));
    } else {
      AwsErrors.run("UpdateSecurityGroupRuleDescriptionsIngress", region, () -> ec2
          .updateSecurityGroupRuleDescriptionsIngress(b -> b.groupId(groupId).ipPermissions(permission)));
    }
    return new SecurityGroupRule(actual.id(), actual.ruleId(), groupId, actual.isEgress(), actual.ipProtocol(),
        actual.fromPort(), actual.toPort(), actual.cidrIpv4(), actual.cidrIpv6(), actual.prefixListId(),
        RuleContent.blankToNull(desired.description()), region, actual.sourceGroupId(), null);
  }

  /** A rule whose group is gone went with it; one already revoked is gone too. */
  @Override
  public void delete(CloudContext ctx, SecurityGroupRule actual) {
    String region = actual.region();
    String groupId = requireNonNull(actual.groupId(), "actual rule without group");
    String ruleId = requireNonNull(actual.ruleId(), "actual rule without id");
    Ec2Client ec2 = ctx.client(Ec2Client.class, region);
    if (actual.isEgress()) {
      AwsErrors.delete("RevokeSecurityGroupEgress", region, GONE,
          () -> ec2.revokeSecurityGroupEgress(b -> b.groupId(groupId).securityGroupRuleIds(ruleId)));
    } else {
      AwsErrors.delete("RevokeSecurityGroupIngress", region, GONE,
          () -> ec2.revokeSecurityGroupIngress(b -> b.groupId(groupId).securityGroupRuleIds(ruleId)));
    }
    LOG.debug("revoked {} of {} in {}", ruleId, groupId, region);
  }
}
