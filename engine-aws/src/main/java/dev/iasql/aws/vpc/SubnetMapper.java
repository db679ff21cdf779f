package dev.iasql.aws.vpc;

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
import software.amazon.awssdk.services.ec2.model.CreateSubnetRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSubnetsRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * The {@code subnet} table. EC2 changes nothing of a subnet that a row holds in place, so any difference a user made
 * (CIDR, zone, VPC) replaces it; the rest (state, free addresses, owner, ARN) is AWS's and only corrects the row.
 * Create tags the subnet with its row ({@link RowTag}).
 */
final class SubnetMapper implements RegionalMapper<Subnet> {
  static final String TABLE = "subnet";
  private static final Logger LOG = LoggerFactory.getLogger(SubnetMapper.class);
  private static final Set<String> GONE = Set.of("InvalidSubnetID.NotFound");

  // The VPC is joined for its AWS id; a VPC row without one is what the subnet waits for.
  private static final String SELECT = "SELECT s.id, s.subnet_id, s.state::text AS state,"
      + " s.available_ip_address_count, s.cidr_block, s.owner_id, s.subnet_arn, s.availability_zone,"
      + " v.vpc_id AS vpc_cloud_id, s.region,"
      + " CASE WHEN v.vpc_id IS NULL THEN 'vpc ' || v.cidr_block || ' (row ' || v.id || ')' END AS awaiting"
      + " FROM subnet s JOIN vpc v ON v.id = s.vpc_id AND v.region = s.region ORDER BY s.id";
  private static final String VPC_ROW = "(SELECT id FROM vpc WHERE vpc_id = ? AND region = ?)";
  private static final String INSERT = "INSERT INTO subnet (subnet_id, state, available_ip_address_count,"
      + " cidr_block, owner_id, subnet_arn, availability_zone, vpc_id, region)"
      + " VALUES (?, ?::subnet_state_enum, ?, ?, ?, ?, ?, " + VPC_ROW + ", ?)";
  private static final String UPDATE = "UPDATE subnet SET subnet_id = ?, state = ?::subnet_state_enum,"
      + " available_ip_address_count = ?, cidr_block = ?, owner_id = ?, subnet_arn = ?, availability_zone = ?,"
      + " vpc_id = coalesce(" + VPC_ROW + ", vpc_id) WHERE id = ?";

  @Override
  public String table() {
    return TABLE;
  }

  @Override
  public Set<String> dependsOn() {
    return Set.of(VpcMapper.TABLE, AvailabilityZoneMapper.TABLE);
  }

  @Override
  public @Nullable String cloudKey(Subnet e) {
    return e.subnetId() == null ? null : e.region() + "/" + e.subnetId();
  }

  @Override
  public String describe(Subnet e) {
    return e.subnetId() != null ? e.subnetId() : "subnet " + e.cidrBlock() + " in " + e.availabilityZone();
  }

  @Override
  public Difference compare(Subnet db, Subnet cloud) {
    if (!Objects.equals(db.cidrBlock(), cloud.cidrBlock()) || !db.availabilityZone().equals(cloud.availabilityZone())
        || !Objects.equals(db.vpcId(), cloud.vpcId())) {
      // A default subnet is never replaced: its row is put back as AWS has it.
      return ownedByCloud(cloud) ? Difference.CLOUD_FIELDS : Difference.REPLACE;
    }
    if (!Objects.equals(db.subnetId(), cloud.subnetId()) || !Objects.equals(db.state(), cloud.state())
        || !Objects.equals(db.availableIpAddressCount(), cloud.availableIpAddressCount())
        || !Objects.equals(db.ownerId(), cloud.ownerId()) || !Objects.equals(db.subnetArn(), cloud.subnetArn())) {
      return Difference.CLOUD_FIELDS;
    }
    return Difference.NONE;
  }

  @Override
  public @Nullable RowClaim claim(Subnet cloud) {
    return cloud.claim();
  }

  @Override
  public boolean ownedByCloud(Subnet cloud) {
    return cloud.defaultForAz();
  }

  // ---- DB side ----

  @Override
  public List<Subnet> readDb(Connection c) throws SQLException {
    return Jdbc.query(c, SELECT, rs -> new Subnet(rs.getInt("id"), rs.getString("subnet_id"), rs.getString("state"),
        rs.getObject("available_ip_address_count", Integer.class), rs.getString("cidr_block"),
        rs.getString("owner_id"), rs.getString("subnet_arn"), rs.getString("availability_zone"),
        rs.getString("vpc_cloud_id"), rs.getString("region"), false, rs.getString("awaiting"), null));
  }

  @Override
  public @Nullable Integer insertDb(Connection c, Subnet cloud) throws SQLException {
    return Jdbc.insertReturningId(c, INSERT, writeArgs(cloud, cloud.region()));
  }

  @Override
  public void updateDb(Connection c, Subnet db, Subnet cloud) throws SQLException {
    Jdbc.update(c, UPDATE, writeArgs(cloud, requireNonNull(db.id(), "db row without id")));
  }

  /** The parameters of both writes: the cloud's fields, its VPC's row, then {@code last} (region, or row id). */
  private static @Nullable Object[] writeArgs(Subnet cloud, Object last) {
    return new @Nullable Object[] {cloud.subnetId(), cloud.state(), cloud.availableIpAddressCount(),
        cloud.cidrBlock(), cloud.ownerId(), cloud.subnetArn(), cloud.availabilityZone(), cloud.vpcId(),
        cloud.region(), last};
  }

  // ---- cloud side ----

  @Override
  public List<Subnet> readCloud(CloudContext ctx, @Nullable String region) {
    String r = requireNonNull(region, "subnet is regional");
    Ec2Client ec2 = ctx.client(Ec2Client.class, r);
    return AwsErrors.call("DescribeSubnets", r, () -> ec2.describeSubnetsPaginator(
        DescribeSubnetsRequest.builder().build()).subnets().stream()
        .map(s -> fromAws(s, r, RowTag.find(TABLE, s.tags()))).toList());
  }

  private static Subnet fromAws(
      software.amazon.awssdk.services.ec2.model.Subnet s, String region, @Nullable RowClaim claim) {
    return new Subnet(null, s.subnetId(), VpcSchema.state(s.stateAsString()), s.availableIpAddressCount(),
        s.cidrBlock(), s.ownerId(), s.subnetArn(), s.availabilityZone(), s.vpcId(), region,
        Boolean.TRUE.equals(s.defaultForAz()), null, claim);
  }

  @Override
  public Subnet create(CloudContext ctx, Subnet desired) {
    if (desired.awaiting() != null || desired.vpcId() == null) {
      throw new WaitingFor(desired.awaiting() != null ? desired.awaiting() : "the subnet's vpc");
    }
    String region = desired.region();
    Ec2Client ec2 = ctx.client(Ec2Client.class, region);
    CreateSubnetRequest request = CreateSubnetRequest.builder().vpcId(desired.vpcId())
        .cidrBlock(desired.cidrBlock()).availabilityZone(desired.availabilityZone())
        .tagSpecifications(RowTag.specs(ResourceType.SUBNET, ctx, TABLE, desired.id(), List.of())).build();
    Subnet out = fromAws(AwsErrors.call("CreateSubnet", region, () -> ec2.createSubnet(request).subnet()), region,
        RowTag.claim(ctx, desired.id()));
    LOG.debug("created {} ({}) in {}", out.subnetId(), out.cidrBlock(), region);
    return out;
  }

  @Override
  public void delete(CloudContext ctx, Subnet actual) {
    String region = actual.region();
    String subnetId = requireNonNull(actual.subnetId(), "actual subnet without id");
    Ec2Client ec2 = ctx.client(Ec2Client.class, region);
    AwsErrors.delete("DeleteSubnet", region, GONE, () -> ec2.deleteSubnet(b -> b.subnetId(subnetId)));
    LOG.debug("deleted {} in {}", subnetId, region);
  }
}
