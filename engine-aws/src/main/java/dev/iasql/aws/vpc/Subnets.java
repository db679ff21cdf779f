package dev.iasql.aws.vpc;

import static java.util.Objects.requireNonNull;

import dev.iasql.aws.AwsErrors;
import dev.iasql.aws.RowTag;
import dev.iasql.engine.kit.Column;
import dev.iasql.engine.kit.ColumnType;
import dev.iasql.engine.kit.CrashSafety;
import dev.iasql.engine.kit.Reference;
import dev.iasql.engine.kit.Resources;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.kit.TableSpec;
import dev.iasql.engine.spi.CloudContext;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * {@code subnet}, as IaSQL v0.0.20 has it, with a typed {@code cidr_block}. EC2 changes nothing of a subnet that a row
 * holds in place, so any change a user makes (CIDR, zone, VPC) replaces it. The default subnets are AWS's: never
 * deleted nor replaced. Create tags the subnet with its row ({@link RowTag}).
 */
final class Subnets implements Resources, Resources.CloudOwned {
  static final String TABLE = "subnet";
  /** Not a column: kept in the cloud's value for {@link #ownedByCloud}; the kit ignores values of no column. */
  private static final String DEFAULT_FOR_AZ = "default_for_az";
  /** The states both enums hold: AWS's others (a subnet's {@code unavailable}) are stored as NULL. */
  private static final Set<String> STATES = Set.of("available", "pending");

  static final TableSpec SPEC = TableSpec.regional(TABLE)
      .column(Column.text("state").cloudAssigned())
      .column(Column.of("available_ip_address_count", ColumnType.INTEGER).cloudAssigned())
      .column(Column.of("cidr_block", ColumnType.CIDR))
      .column(Column.text("subnet_id").cloudAssigned())
      .column(Column.text("owner_id").cloudAssigned())
      .column(Column.text("subnet_arn").cloudAssigned())
      .column(Column.text("availability_zone").notNull())
      .reference(Reference.to("vpc_id", Vpcs.TABLE, "vpc_id").notNull().named("FK_0e2c2bf1604ba2ffd4103157d24"))
      .cloudId("subnet_id", false)
      .describedBy("subnet_id")
      .enumType("state", "subnet_state_enum", "available", "pending")
      .primaryKey("PK_27239a6d70e746b9ac33497a47f")
      .unique("uq_subnet_id_region", "subnet_id", TableSpec.REGION)
      .unique("uq_subnet_region", "id", TableSpec.REGION)
      .regionForeignKey("FK_01b828964edce6b867e4e554b97")
      .foreignKey("FK_89d16ba5682889f8fae7927052c", List.of("availability_zone", TableSpec.REGION),
          "availability_zone", List.of("name", TableSpec.REGION))
      .survivesCrashBy(CrashSafety.rowTag())
      .build();

  @Override
  public List<Row> list(CloudContext ctx, @Nullable String region) {
    String r = requireNonNull(region, "subnet is regional");
    Ec2Client ec2 = ctx.client(Ec2Client.class, r);
    return AwsErrors.call("DescribeSubnets", r, () -> ec2.describeSubnetsPaginator(b -> { }).subnets().stream()
        .map(s -> row(r, s)).toList());
  }

  @Override
  public Row create(CloudContext ctx, Row desired) {
    String region = requireNonNull(desired.region(), "subnet is regional");
    Ec2Client ec2 = ctx.client(Ec2Client.class, region);
    Subnet s = AwsErrors.call("CreateSubnet", region, () -> ec2.createSubnet(b -> b.vpcId(desired.text("vpc_id"))
        .cidrBlock(desired.text("cidr_block")).availabilityZone(desired.text("availability_zone"))
        .tagSpecifications(RowTag.specs(ResourceType.SUBNET, ctx, TABLE, desired.id(), List.of()))).subnet());
    return row(region, s).claimedBy(RowTag.claim(ctx, desired.id()));
  }

  @Override
  public void delete(CloudContext ctx, Row actual) {
    String region = requireNonNull(actual.region(), "subnet is regional");
    Ec2Client ec2 = ctx.client(Ec2Client.class, region);
    AwsErrors.delete("DeleteSubnet", region, Set.of("InvalidSubnetID.NotFound"),
        () -> ec2.deleteSubnet(b -> b.subnetId(actual.text("subnet_id"))));
  }

  @Override
  public boolean ownedByCloud(Row cloud) {
    return Boolean.TRUE.equals(cloud.get(DEFAULT_FOR_AZ));
  }

  private static Row row(String region, Subnet s) {
    return Row.in(region).with("state", state(s.stateAsString()))
        .with("available_ip_address_count", s.availableIpAddressCount()).with("cidr_block", s.cidrBlock())
        .with("subnet_id", s.subnetId()).with("owner_id", s.ownerId()).with("subnet_arn", s.subnetArn())
        .with("availability_zone", s.availabilityZone()).with("vpc_id", s.vpcId())
        .with(DEFAULT_FOR_AZ, s.defaultForAz()).claimedBy(RowTag.find(TABLE, s.tags()));
  }

  static @Nullable String state(@Nullable String aws) {
    return aws != null && STATES.contains(aws) ? aws : null;
  }
}
