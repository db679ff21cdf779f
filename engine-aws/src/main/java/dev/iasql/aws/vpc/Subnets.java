package dev.iasql.aws.vpc;

import dev.iasql.aws.AwsResources;
import dev.iasql.aws.RowTag;
import dev.iasql.engine.kit.Column;
import dev.iasql.engine.kit.ColumnType;
import dev.iasql.engine.kit.CrashSafety;
import dev.iasql.engine.kit.Reference;
import dev.iasql.engine.kit.Resources;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.kit.TableSpec;
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
final class Subnets extends AwsResources<Ec2Client> implements Resources.CloudOwned {
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
  protected List<Row> list(Aws<Ec2Client> ec2) {
    return ec2.call("DescribeSubnets", c -> c.describeSubnetsPaginator(b -> { }).subnets().stream()
        .map(s -> row(ec2, s)).toList());
  }

  @Override
  protected Row create(Aws<Ec2Client> ec2, Row desired) {
    Subnet s = ec2.call("CreateSubnet", c -> c.createSubnet(b -> b.vpcId(desired.text("vpc_id"))
        .cidrBlock(desired.text("cidr_block")).availabilityZone(desired.text("availability_zone"))
        .tagSpecifications(RowTag.specs(ResourceType.SUBNET, ec2.ctx(), TABLE, desired.id(), List.of()))).subnet());
    return row(ec2, s).claimedBy(RowTag.claim(ec2.ctx(), desired.id()));
  }

  @Override
  protected void delete(Aws<Ec2Client> ec2, Row actual) {
    ec2.delete("DeleteSubnet", Set.of("InvalidSubnetID.NotFound"),
        c -> c.deleteSubnet(b -> b.subnetId(actual.text("subnet_id"))));
  }

  @Override
  public boolean ownedByCloud(Row cloud) {
    return Boolean.TRUE.equals(cloud.get(DEFAULT_FOR_AZ));
  }

  private static Row row(Aws<?> ec2, Subnet s) {
    return ec2.row().with("state", state(s.stateAsString()))
        .with("available_ip_address_count", s.availableIpAddressCount()).with("cidr_block", s.cidrBlock())
        .with("subnet_id", s.subnetId()).with("owner_id", s.ownerId()).with("subnet_arn", s.subnetArn())
        .with("availability_zone", s.availabilityZone()).with("vpc_id", s.vpcId())
        .with(DEFAULT_FOR_AZ, s.defaultForAz()).claimedBy(RowTag.find(TABLE, s.tags()));
  }

  static @Nullable String state(@Nullable String aws) {
    return aws != null && STATES.contains(aws) ? aws : null;
  }
}
