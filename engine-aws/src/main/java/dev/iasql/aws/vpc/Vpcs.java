package dev.iasql.aws.vpc;

import static java.util.Objects.requireNonNull;

import dev.iasql.aws.AwsErrors;
import dev.iasql.aws.RowTag;
import dev.iasql.engine.kit.Column;
import dev.iasql.engine.kit.ColumnType;
import dev.iasql.engine.kit.CrashSafety;
import dev.iasql.engine.kit.Resources;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.kit.TableSpec;
import dev.iasql.engine.spi.CloudContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
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
final class Vpcs implements Resources, Resources.InPlace, Resources.CloudOwned, Resources.MakesOthers {
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
      .describedBy("vpc_id")
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
  public List<Row> list(CloudContext ctx, @Nullable String region) {
    String r = requireNonNull(region, "vpc is regional");
    Ec2Client ec2 = ctx.client(Ec2Client.class, r);
    return AwsErrors.call("DescribeVpcs", r, () -> ec2.describeVpcsPaginator(b -> { }).vpcs().stream()
        .map(v -> row(r, v, v.tags())).toList());
  }

  @Override
  public Row create(CloudContext ctx, Row desired) {
    String region = requireNonNull(desired.region(), "vpc is regional");
    Ec2Client ec2 = ctx.client(Ec2Client.class, region);
    List<Tag> tags = aws(tags(desired));
    Vpc v = AwsErrors.call("CreateVpc", region, () -> ec2.createVpc(b -> b.cidrBlock(desired.text("cidr_block"))
        .tagSpecifications(RowTag.specs(ResourceType.VPC, ctx, TABLE, desired.id(), tags))).vpc());
    modify(ec2, region, v.vpcId(), desired, a -> !desired.get(a).equals(ON_WHEN_NEW.contains(a)));
    // Tags given at create are applied with it or not at all; the response may leave them out. The attributes stay
    // unknown, as in every value read from AWS: the row keeps what it asked for.
    return row(region, v, tags).claimedBy(RowTag.claim(ctx, desired.id()));
  }

  @Override
  public Row update(CloudContext ctx, Row desired, Row actual, Set<String> changed) {
    String region = requireNonNull(actual.region(), "vpc is regional");
    String vpcId = requireNonNull(actual.text("vpc_id"), "a VPC read from AWS has its id");
    Ec2Client ec2 = ctx.client(Ec2Client.class, region);
    Map<String, String> want = tags(desired);
    Map<String, String> have = tags(actual);
    List<Tag> removed = have.keySet().stream().filter(k -> !want.containsKey(k))
        .map(k -> Tag.builder().key(k).build()).toList();
    if (!removed.isEmpty()) {
      AwsErrors.run("DeleteTags", region, () -> ec2.deleteTags(b -> b.resources(vpcId).tags(removed)));
    }
    List<Tag> set = aws(want).stream().filter(t -> !t.value().equals(have.get(t.key()))).toList();
    if (!set.isEmpty()) {
      AwsErrors.run("CreateTags", region, () -> ec2.createTags(b -> b.resources(vpcId).tags(set)));
    }
    modify(ec2, region, vpcId, desired, changed::contains);
    return actual.with("tags", want);
  }

  @Override
  public void delete(CloudContext ctx, Row actual) {
    String region = requireNonNull(actual.region(), "vpc is regional");
    Ec2Client ec2 = ctx.client(Ec2Client.class, region);
    AwsErrors.delete("DeleteVpc", region, Set.of("InvalidVpcID.NotFound"),
        () -> ec2.deleteVpc(b -> b.vpcId(actual.text("vpc_id"))));
  }

  @Override
  public boolean ownedByCloud(Row cloud) {
    return Boolean.TRUE.equals(cloud.get("is_default"));
  }

  /**
   * Sets the attributes {@code differ} names to the row's values, one ModifyVpcAttribute each. DNS hostnames need DNS
   * support: support goes first when turned on, last when turned off.
   */
  private static void modify(Ec2Client ec2, String region, String vpcId, Row desired, Predicate<String> differ) {
    List<String> order = new ArrayList<>(List.of(HOSTNAMES, METRICS));
    order.add(Boolean.TRUE.equals(desired.get(SUPPORT)) ? 0 : 2, SUPPORT);
    for (String a : order) {
      if (desired.get(a) != null && differ.test(a)) {
        AttributeBooleanValue value = AttributeBooleanValue.builder().value((Boolean) desired.get(a)).build();
        AwsErrors.run("ModifyVpcAttribute", region, () -> ec2.modifyVpcAttribute(b -> ATTRIBUTES.get(a)
            .accept(b.vpcId(vpcId), value)));
      }
    }
  }

  private static Row row(String region, Vpc v, List<Tag> tags) {
    return Row.in(region).with("vpc_id", v.vpcId()).with("cidr_block", v.cidrBlock())
        .with("state", Subnets.state(v.stateAsString())).with("is_default", Boolean.TRUE.equals(v.isDefault()))
        .with("tags", mine(tags)).claimedBy(RowTag.find(TABLE, tags));
  }

  @SuppressWarnings("unchecked") // a TAGS value is a map of strings
  private static Map<String, String> tags(Row r) {
    return (Map<String, String>) r.values().getOrDefault("tags", Map.of());
  }

  private static Map<String, String> mine(List<Tag> tags) {
    Map<String, String> out = new TreeMap<>();
    tags.stream().filter(t -> t.key() != null && !RowTag.isKey(t.key()))
        .forEach(t -> out.put(t.key(), t.value() == null ? "" : t.value()));
    return out;
  }

  private static List<Tag> aws(Map<String, String> tags) {
    return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
  }
}
