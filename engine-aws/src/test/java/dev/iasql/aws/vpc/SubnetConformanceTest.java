package dev.iasql.aws.vpc;

import dev.iasql.aws.MotoClient;
import dev.iasql.aws.RowTag;
import dev.iasql.aws.kit.ModuleConformance;
import dev.iasql.engine.kit.TableSpec;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * {@code aws_vpc}'s {@code subnet} passes the kit's conformance suite. A subnet has neither name nor tags: the suite's
 * subnet of a name is the one in the VPC of that {@code Name} tag, which its sample adds (a row, applied with it) in
 * each region; previews describe it by its {@code subnet-…} id. EC2 changes nothing of a subnet in place.
 */
class SubnetConformanceTest extends ModuleConformance {
  private static final String CIDR = "10.1.1.0/24";

  @Override
  protected String module() {
    return "aws_vpc";
  }

  @Override
  protected TableSpec spec() {
    return Subnets.SPEC;
  }

  @Override
  protected Map<String, Object> sample(String name) {
    return sample(name, REGION);
  }

  /** The subnet in the first zone of the region, in the VPC of this name there (its row made once). */
  @Override
  protected Map<String, Object> sample(String name, String region) {
    try {
      Sql.exec(tenant(), "INSERT INTO vpc (cidr_block, tags, region) SELECT '10.1.0.0/16', json_build_object('Name',"
          + " CAST(? AS text)), ? WHERE NOT EXISTS (SELECT 1 FROM vpc WHERE tags->>'Name' = ? AND region = ?)", name,
          region, name, region);
      Object vpc = Sql.value(tenant(), "SELECT id FROM vpc WHERE tags->>'Name' = ? AND region = ?", name, region);
      return Map.of("cidr_block", CIDR, "availability_zone", region + "a", "vpc_id", vpc);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected String whereName() {
    return "vpc_id IN (SELECT id FROM vpc WHERE tags->>'Name' = ?)";
  }

  @Override
  protected Set<String> describedAs(Moto.Keys keys, String region, String name) {
    try (Ec2Client ec2 = client(keys, region)) {
      return subnets(ec2, name);
    }
  }

  @Override
  protected Map<String, Object> inPlaceChange(String name) {
    return Map.of();
  }

  @Override
  protected boolean replacesOnEveryChange() {
    return true;
  }

  @Override
  protected Map<String, Object> replacingChange(String name) {
    return Map.of("cidr_block", "10.1.2.0/24");
  }

  @Override
  protected String replaceReason() {
    return "subnet cannot change in place";
  }

  /** The Name tags of the VPCs that have a subnet. */
  @Override
  protected Set<String> cloudNames(Moto.Keys keys, String region) {
    try (Ec2Client ec2 = client(keys, region)) {
      Set<String> withSubnets = ec2.describeSubnetsPaginator(b -> { }).subnets().stream().map(s -> s.vpcId())
          .collect(Collectors.toSet());
      return ec2.describeVpcsPaginator(b -> { }).vpcs().stream().filter(v -> withSubnets.contains(v.vpcId()))
          .flatMap(v -> v.tags().stream()).filter(t -> t.key().equals("Name")).map(Tag::value)
          .collect(Collectors.toSet());
    }
  }

  @Override
  protected void createOutOfBand(Moto.Keys keys, String region, String name) {
    try (Ec2Client ec2 = client(keys, region)) {
      String vpc = vpcs(ec2, name).stream().findFirst().orElseGet(() -> createVpc(ec2, name, List.of()));
      ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock(CIDR).availabilityZone(region + "a"));
    }
  }

  /** The VPC and the subnet, each tagged for its row, as apply would have made them. */
  @Override
  protected void createLost(Moto.Keys keys, String region, String name, String database, int rowId) {
    try (Ec2Client ec2 = client(keys, region)) {
      int vpcRow = ((Number) Sql.value(tenant(), "SELECT vpc_id FROM subnet WHERE id = ?", rowId)).intValue();
      String vpc = createVpc(ec2, name, List.of(RowTag.tag(database, Vpcs.TABLE, vpcRow)));
      ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock(CIDR).availabilityZone(region + "a").tagSpecifications(
          t -> t.resourceType(ResourceType.SUBNET).tags(RowTag.tag(database, Subnets.TABLE, rowId))));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected void deleteOutOfBand(Moto.Keys keys, String region, String name) {
    try (Ec2Client ec2 = client(keys, region)) {
      subnets(ec2, name).forEach(id -> ec2.deleteSubnet(b -> b.subnetId(id)));
    }
  }

  private static String createVpc(Ec2Client ec2, String name, List<Tag> more) {
    List<Tag> tags = new ArrayList<>(more);
    tags.add(Tag.builder().key("Name").value(name).build());
    return ec2.createVpc(b -> b.cidrBlock("10.1.0.0/16").tagSpecifications(t -> t.resourceType(ResourceType.VPC)
        .tags(tags))).vpc().vpcId();
  }

  private static Set<String> vpcs(Ec2Client ec2, String name) {
    return ec2.describeVpcsPaginator(b -> b.filters(f -> f.name("tag:Name").values(name))).vpcs().stream()
        .map(v -> v.vpcId()).collect(Collectors.toSet());
  }

  private static Set<String> subnets(Ec2Client ec2, String name) {
    Set<String> vpcs = vpcs(ec2, name);
    return vpcs.isEmpty() ? Set.of() : ec2.describeSubnetsPaginator(b -> b.filters(f -> f.name("vpc-id").values(vpcs)))
        .subnets().stream().map(s -> s.subnetId()).collect(Collectors.toSet());
  }

  private static Ec2Client client(Moto.Keys keys, String region) {
    return MotoClient.of(Ec2Client.builder(), keys, region);
  }
}
