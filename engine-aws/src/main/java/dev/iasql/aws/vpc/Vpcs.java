package dev.iasql.aws.vpc;

import dev.iasql.aws.AwsResources;
import dev.iasql.aws.RowTag;
import dev.iasql.engine.kit.Column;
import dev.iasql.engine.kit.ColumnType;
import dev.iasql.engine.kit.CrashSafety;
import dev.iasql.engine.kit.Resources;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.kit.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.ModifyVpcAttributeRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * {@code vpc}, as IaSQL v0.0.20 has it, with a typed {@code cidr_block}. The CIDR cannot change (the VPC is
 * replaced); tags and DNS attributes change in place. Each region's default VPC is AWS's: never deleted nor replaced.
 * AWS makes a VPC with its default security group, which the same apply reads back. Create tags the VPC with its
 * row ({@link RowTag}); that tag is the engine's, left out of the {@code tags} column and of every tags update.
 *
 * <p>The DNS attributes are unlisted: DescribeVpcs does not return them, DescribeVpcAttribute does, one attribute of
 * one VPC a request, which would make every read cost three requests per VPC. Create sets them where they differ from
 * what a new VPC gets; a change made outside the DB is not seen, nor a changed row of an existing VPC pushed.
 */
final class Vpcs extends AwsResources<Ec2Client>
    implements Resources.InPlace, Resources.CloudOwned, Resources.MakesOthers {
  static final String TABLE = "vpc";
  private static final String SUPPORT = "enable_dns_support";
  private static final String HOSTNAMES = "enable_dns_hostnames";
  private static final String METRICS = "enable_network_address_usage_metrics";
  /** Each attribute's column and request setter. */
  private static final Map<String, BiConsumer<ModifyVpcAttributeRequest.Builder, AttributeBooleanValue>> ATTRIBUTES =
      Map.of(SUPPORT, ModifyVpcAttributeRequest.Builder::enableDnsSupport,
          HOSTNAMES, ModifyVpcAttributeRequest.Builder::enableDnsHostnames,
          METRICS, ModifyVpcAttributeRequest.Builder::enableNetworkAddressUsageMetrics);
  /** What CreateVpc gives a new VPC (AWS documents these defaults). */
  private static final Set<String> ON_WHEN_NEW = Set.of(SUPPORT);

  static final TableSpec SPEC = TableSpec.regional(TABLE)
      .column(Column.text("vpc_id").cloudAssigned())
      .column(Column.of("cidr_block", ColumnType.CIDR).notNull().replacedOnChange())
      .column(Column.text("state").cloudAssigned())
      .column(Column.of("is_default", ColumnType.BOOLEAN).notNull().defaultSql("false").cloudAssigned())
      .column(flag(HOSTNAMES)).column(flag(SUPPORT)).column(flag(METRICS))
      .column(Column.of("tags", ColumnType.TAGS))
      .cloudId("vpc_id", false)
      .enumType("state", "vpc_state_enum", "available", "pending")
      .primaryKey("PK_293725cf47b341e1edc38bd2075")
      .unique("uq_vpc_id_region", "vpc_id", TableSpec.REGION)
      .unique("uq_vpc_region", "id", TableSpec.REGION)
      .regionForeignKey("FK_4e3193d811417bcd61e4f305e74")
      .survivesCrashBy(CrashSafety.rowTag())
      .build();

  private static Column flag(String name) {
    return Column.of(name, ColumnType.BOOLEAN).notNull().defaultSql("false").unlisted();
  }

  @Override
  protected List<Row> list(Aws<Ec2Client> ec2) {
    return ec2.call("DescribeVpcs", c -> c.describeVpcsPaginator(b -> { }).vpcs().stream()
        .map(v -> row(ec2, v, v.tags())).toList());
  }

  @Override
  protected Row create(Aws<Ec2Client> ec2, Row desired) {
    List<Tag> tags = RowTag.aws(tags(desired));
    Vpc v = ec2.call("CreateVpc", c -> c.createVpc(b -> b.cidrBlock(desired.text("cidr_block"))
        .tagSpecifications(RowTag.specs(ResourceType.VPC, ec2.ctx(), TABLE, desired.id(), tags))).vpc());
    modify(ec2, v.vpcId(), desired, a -> !desired.get(a).equals(ON_WHEN_NEW.contains(a)));
    // Tags given at create are applied with it or not at all; the response may leave them out. The attributes stay
    // unknown, as in every value read from AWS: the row keeps what it asked for.
    return row(ec2, v, tags).claimedBy(RowTag.claim(ec2.ctx(), desired.id()));
  }

  @Override
  protected Row update(Aws<Ec2Client> ec2, Row desired, Row actual, Set<String> changed) {
    String vpcId = actual.text("vpc_id");
    RowTag.update(ec2, vpcId, tags(desired), tags(actual));
    modify(ec2, vpcId, desired, changed::contains);
    return actual.with("tags", tags(desired));
  }

  @Override
  protected void delete(Aws<Ec2Client> ec2, Row actual) {
    ec2.delete("DeleteVpc", Set.of("InvalidVpcID.NotFound"), c -> c.deleteVpc(b -> b.vpcId(actual.text("vpc_id"))));
  }

  @Override
  public boolean ownedByCloud(Row cloud) {
    return Boolean.TRUE.equals(cloud.get("is_default"));
  }

  /**
   * Sets the attributes {@code differ} names to the row's values, one ModifyVpcAttribute each. DNS hostnames need DNS
   * support: support goes first when turned on, last when turned off.
   */
  private static void modify(Aws<Ec2Client> ec2, String vpcId, Row desired, Predicate<String> differ) {
    List<String> order = new ArrayList<>(List.of(HOSTNAMES, METRICS));
    order.add(Boolean.TRUE.equals(desired.get(SUPPORT)) ? 0 : 2, SUPPORT);
    for (String a : order) {
      if (desired.get(a) != null && differ.test(a)) {
        AttributeBooleanValue value = AttributeBooleanValue.builder().value((Boolean) desired.get(a)).build();
        ec2.run("ModifyVpcAttribute", c -> c.modifyVpcAttribute(b -> ATTRIBUTES.get(a).accept(b.vpcId(vpcId),
            value)));
      }
    }
  }

  private static Row row(Aws<?> ec2, Vpc v, List<Tag> tags) {
    return ec2.row().with("vpc_id", v.vpcId()).with("cidr_block", v.cidrBlock())
        .with("state", Subnets.state(v.stateAsString())).with("is_default", Boolean.TRUE.equals(v.isDefault()))
        .with("tags", RowTag.userTags(tags)).claimedBy(RowTag.find(TABLE, tags));
  }

  @SuppressWarnings("unchecked") // a TAGS value is a map of strings
  private static Map<String, String> tags(Row r) {
    return (Map<String, String>) r.values().getOrDefault("tags", Map.of());
  }
}
