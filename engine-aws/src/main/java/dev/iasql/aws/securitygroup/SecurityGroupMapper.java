package dev.iasql.aws.securitygroup;

import static java.util.Objects.requireNonNull;

import dev.iasql.aws.AwsErrors;
import dev.iasql.aws.Jdbc;
import dev.iasql.aws.RegionalMapper;
import dev.iasql.aws.RowTag;
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.RowClaim;
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
import software.amazon.awssdk.services.ec2.model.CreateSecurityGroupResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsRequest;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * The {@code security_group} table. EC2 cannot rename a group or change its description or VPC, so any of those
 * differences replaces it; the owner is AWS's. Each VPC's group named {@code default} belongs to AWS: it is never
 * deleted or replaced, and a row that differs from it is put back.
 */
final class SecurityGroupMapper implements RegionalMapper<SecurityGroup> {
  static final String TABLE = "security_group";
  private static final Logger LOG = LoggerFactory.getLogger(SecurityGroupMapper.class);
  private static final Set<String> GONE = Set.of("InvalidGroup.NotFound");
  /** The egress rule AWS gives every new group: all traffic to anywhere. */
  private static final IpPermission DEFAULT_EGRESS = IpPermission.builder().ipProtocol(RuleContent.ALL_PROTOCOLS)
      .ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build()).build();

  // A row without vpc_id means the region's default VPC, the one AWS puts the group in: the DB's default VPC row gives
  // its id, so create names it and the write-back records it. The EXISTS looks for the row of AWS's default egress
  // rule, normalised as RuleContent does.
  private static final String SELECT = "SELECT sg.id, sg.description, sg.group_name, sg.owner_id, sg.group_id,"
      + " sg.region, coalesce(v.vpc_id, dv.vpc_id) AS vpc_cloud_id,"
      + " CASE WHEN sg.vpc_id IS NOT NULL AND v.vpc_id IS NULL"
      + " THEN 'vpc ' || v.cidr_block || ' (row ' || v.id || ')' END AS awaiting,"
      + " EXISTS (SELECT 1 FROM security_group_rule r WHERE r.security_group_id = sg.id AND r.region = sg.region"
      + " AND r.is_egress AND coalesce(nullif(lower(trim(r.ip_protocol)), ''), '-1') = '-1'"
      + " AND r.cidr_ipv4 = '0.0.0.0/0' AND r.cidr_ipv6 IS NULL AND nullif(trim(r.prefix_list_id), '') IS NULL"
      + " AND r.source_security_group IS NULL) AS keeps_default_egress"
      + " FROM security_group sg LEFT JOIN vpc v ON v.id = sg.vpc_id AND v.region = sg.region"
      + " LEFT JOIN LATERAL (SELECT d.vpc_id FROM vpc d WHERE sg.vpc_id IS NULL AND d.is_default"
      + " AND d.region = sg.region ORDER BY d.id LIMIT 1) dv ON true ORDER BY sg.id";
  // Without a VPC id, vpc_id stays NULL; with one, inserts nothing when the VPC has no row (the caller decides what
  // that means).
  private static final String INSERT = "INSERT INTO security_group (description, group_name, owner_id, group_id,"
      + " region, vpc_id) SELECT ?, ?, ?, ?, w.region, v.id FROM (SELECT ?::varchar AS vpc_id, ?::varchar AS region) w"
      + " LEFT JOIN vpc v ON v.vpc_id = w.vpc_id AND v.region = w.region WHERE w.vpc_id IS NULL OR v.id IS NOT NULL";
  // An unknown owner or VPC keeps the row's.
  private static final String UPDATE = "UPDATE security_group SET description = ?, group_name = ?,"
      + " owner_id = coalesce(?, owner_id), group_id = ?,"
      + " vpc_id = coalesce((SELECT id FROM vpc WHERE vpc_id = ? AND region = ?), vpc_id) WHERE id = ?";

  @Override
  public String table() {
    return TABLE;
  }

  @Override
  public Set<String> dependsOn() {
    return Set.of("vpc");
  }

  @Override
  public @Nullable String cloudKey(SecurityGroup e) {
    return e.groupId() == null ? null : e.region() + "/" + e.groupId();
  }

  @Override
  public String describe(SecurityGroup e) {
    return e.groupId() != null ? e.groupId() : "security group " + e.groupName();
  }

  @Override
  public Difference compare(SecurityGroup db, SecurityGroup cloud) {
    // A row without a VPC (and no default VPC row to stand in) takes the group's; any other VPC must match.
    boolean otherVpc = db.vpcId() != null && !db.vpcId().equals(cloud.vpcId());
    if (!db.groupName().equals(cloud.groupName()) || !db.description().equals(cloud.description()) || otherVpc) {
      return ownedByCloud(cloud) ? Difference.CLOUD_FIELDS : Difference.REPLACE;
    }
    // Create cannot always tell the owner: an unknown owner is no difference.
    boolean ownerDiffers = cloud.ownerId() != null && !cloud.ownerId().equals(db.ownerId());
    boolean vpcUnrecorded = db.vpcId() == null && cloud.vpcId() != null;
    if (ownerDiffers || vpcUnrecorded || !Objects.equals(db.groupId(), cloud.groupId())) {
      return Difference.CLOUD_FIELDS;
    }
    return Difference.NONE;
  }

  @Override
  public @Nullable RowClaim claim(SecurityGroup cloud) {
    return cloud.claim();
  }

  @Override
  public boolean ownedByCloud(SecurityGroup cloud) {
    return SecurityGroup.DEFAULT_NAME.equals(cloud.groupName());
  }

  // ---- DB side ----

  @Override
  public List<SecurityGroup> readDb(Connection c) throws SQLException {
    return Jdbc.query(c, SELECT, rs -> new SecurityGroup(rs.getInt("id"), rs.getString("description"),
        rs.getString("group_name"), rs.getString("owner_id"), rs.getString("group_id"), rs.getString("region"),
        rs.getString("vpc_cloud_id"), rs.getBoolean("keeps_default_egress"), rs.getString("awaiting"), null));
  }

  @Override
  public @Nullable Integer insertDb(Connection c, SecurityGroup cloud) throws SQLException {
    Integer id = Jdbc.insertReturningId(c, INSERT, cloud.description(), cloud.groupName(), cloud.ownerId(),
        cloud.groupId(), cloud.vpcId(), cloud.region());
    if (id != null) {
      return id;
    }
    if (ownedByCloud(cloud)) {
      // AWS's group of a VPC the DB does not hold (being deleted, or not imported): nothing to attach it to.
      LOG.debug("not recording {} of {}: the VPC has no row", cloud.groupId(), cloud.vpcId());
      return null;
    }
    throw new SQLException("security group " + cloud.groupId() + " (" + cloud.groupName() + ") cannot be recorded:"
        + " its VPC " + cloud.vpcId() + " has no row in vpc", "23503");
  }

  @Override
  public void updateDb(Connection c, SecurityGroup db, SecurityGroup cloud) throws SQLException {
    Jdbc.update(c, UPDATE, cloud.description(), cloud.groupName(), cloud.ownerId(), cloud.groupId(), cloud.vpcId(),
        cloud.region(), requireNonNull(db.id(), "db row without id"));
  }

  // ---- cloud side ----

  @Override
  public List<SecurityGroup> readCloud(CloudContext ctx, @Nullable String region) {
    String r = requireNonNull(region, "security_group is regional");
    Ec2Client ec2 = ctx.client(Ec2Client.class, r);
    return AwsErrors.call("DescribeSecurityGroups", r, () -> ec2.describeSecurityGroupsPaginator(
        DescribeSecurityGroupsRequest.builder().build()).securityGroups().stream()
        .map(g -> new SecurityGroup(null, g.description(), g.groupName(), g.ownerId(), g.groupId(), r, g.vpcId(),
            false, null, RowTag.find(TABLE, g.tags())))
        .toList());
  }

  /**
   * Creates the group, tagged with its row ({@link RowTag}) in the same request, and, unless the DB keeps it, revokes
   * the egress rule AWS gives every new group, so that AWS matches the DB without reading the group back.
   */
  @Override
  public SecurityGroup create(CloudContext ctx, SecurityGroup desired) {
    if (desired.awaiting() != null) {
      throw new WaitingFor(desired.awaiting());
    }
    String region = desired.region();
    Ec2Client ec2 = ctx.client(Ec2Client.class, region);
    CreateSecurityGroupResponse created = AwsErrors.call("CreateSecurityGroup", region, () -> ec2.createSecurityGroup(
        b -> b.groupName(desired.groupName()).description(desired.description()).vpcId(desired.vpcId())
            .tagSpecifications(RowTag.specs(ResourceType.SECURITY_GROUP, ctx, TABLE, desired.id(), List.of()))));
    String groupId = created.groupId();
    LOG.debug("created {} ({}) in {}", groupId, desired.groupName(), region);
    if (!desired.keepsDefaultEgress()) {
      AwsErrors.delete("RevokeSecurityGroupEgress", region, Set.of("InvalidPermission.NotFound"),
          () -> ec2.revokeSecurityGroupEgress(b -> b.groupId(groupId).ipPermissions(DEFAULT_EGRESS)));
    }
    return new SecurityGroup(null, desired.description(), desired.groupName(), accountOf(created.securityGroupArn()),
        groupId, region, desired.vpcId(), false, null, RowTag.claim(ctx, desired.id()));
  }

  /** The account in an ARN ({@code arn:aws:ec2:region:account:security-group/sg-…}), or null. */
  static @Nullable String accountOf(@Nullable String arn) {
    if (arn == null) {
      return null;
    }
    String[] parts = arn.split(":", 6);
    return parts.length == 6 && !parts[4].isEmpty() ? parts[4] : null;
  }

  @Override
  public void delete(CloudContext ctx, SecurityGroup actual) {
    String region = actual.region();
    String groupId = requireNonNull(actual.groupId(), "actual group without id");
    Ec2Client ec2 = ctx.client(Ec2Client.class, region);
    // Still referenced by another group's rule or used by a network interface: DependencyViolation reaches the user.
    AwsErrors.delete("DeleteSecurityGroup", region, GONE, () -> ec2.deleteSecurityGroup(b -> b.groupId(groupId)));
    LOG.debug("deleted {} in {}", groupId, region);
  }
}
