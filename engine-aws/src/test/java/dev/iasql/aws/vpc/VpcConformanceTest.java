package dev.iasql.aws.vpc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iasql.aws.MotoClient;
import dev.iasql.aws.RowTag;
import dev.iasql.aws.kit.ModuleConformance;
import dev.iasql.engine.kit.TableSpec;
import dev.iasql.testkit.Moto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * {@code aws_vpc}'s {@code vpc} passes the kit's conformance suite. A VPC has no name column, as in IaSQL: the suite's
 * rows and VPCs are known by their {@code Name} tag, and previews describe them by their {@code vpc-…} id.
 */
class VpcConformanceTest extends ModuleConformance {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected String module() {
    return "aws_vpc";
  }

  @Override
  protected TableSpec spec() {
    return Vpcs.SPEC;
  }

  @Override
  protected Map<String, Object> sample(String name) {
    return Map.of("cidr_block", "10.1.0.0/16", "tags", tags(name, Map.of()));
  }

  @Override
  protected String whereName() {
    return "tags->>'Name' = ?";
  }

  @Override
  protected Set<String> describedAs(Moto.Keys keys, String region, String name) {
    try (Ec2Client ec2 = client(keys, region)) {
      return ec2.describeVpcsPaginator(b -> b.filters(f -> f.name("tag:Name").values(name))).vpcs().stream()
          .map(v -> v.vpcId()).collect(Collectors.toSet());
    }
  }

  /** Tags change in place (the DNS attributes too, but no bulk read shows them). */
  @Override
  protected Map<String, Object> inPlaceChange(String name) {
    return Map.of("tags", tags(name, Map.of("env", "conformance")));
  }

  /** The preview shows tags as the map they are. */
  @Override
  protected String shown(String column, Object value) {
    try {
      return new TreeMap<>(JSON.readValue((String) value, new TypeReference<Map<String, String>>() {})).toString();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  protected Map<String, Object> replacingChange(String name) {
    return Map.of("cidr_block", "10.2.0.0/16");
  }

  @Override
  protected String replaceReason() {
    return "cidr_block cannot change in place";
  }

  @Override
  protected Set<String> cloudNames(Moto.Keys keys, String region) {
    try (Ec2Client ec2 = client(keys, region)) {
      return ec2.describeVpcsPaginator(b -> { }).vpcs().stream().flatMap(v -> v.tags().stream())
          .filter(t -> t.key().equals("Name")).map(Tag::value).collect(Collectors.toSet());
    }
  }

  @Override
  protected void createOutOfBand(Moto.Keys keys, String region, String name) {
    create(keys, region, name, List.of());
  }

  @Override
  protected void createLost(Moto.Keys keys, String region, String name, String database, int rowId) {
    create(keys, region, name, List.of(RowTag.tag(database, Vpcs.TABLE, rowId)));
  }

  private static void create(Moto.Keys keys, String region, String name, List<Tag> more) {
    List<Tag> tags = new ArrayList<>(more);
    tags.add(Tag.builder().key("Name").value(name).build());
    try (Ec2Client ec2 = client(keys, region)) {
      ec2.createVpc(b -> b.cidrBlock("10.1.0.0/16").tagSpecifications(t -> t.resourceType(ResourceType.VPC)
          .tags(tags)));
    }
  }

  @Override
  protected void deleteOutOfBand(Moto.Keys keys, String region, String name) {
    try (Ec2Client ec2 = client(keys, region)) {
      describedAs(keys, region, name).forEach(id -> ec2.deleteVpc(b -> b.vpcId(id)));
    }
  }

  /** The tags column's JSON, as the kit writes it: keys sorted, no spaces. */
  private static String tags(String name, Map<String, String> more) {
    Map<String, String> all = new TreeMap<>(more);
    all.put("Name", name);
    try {
      return JSON.writeValueAsString(all);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Ec2Client client(Moto.Keys keys, String region) {
    return MotoClient.of(Ec2Client.builder(), keys, region);
  }
}
