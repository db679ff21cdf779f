package dev.iasql.aws.vpc;

import static dev.iasql.testkit.Sql.exec;
import static dev.iasql.testkit.Sql.rows;
import static dev.iasql.testkit.Sql.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.engine.spi.CloudException;
import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.RowClaim;
import dev.iasql.engine.spi.WaitingFor;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.VpcAttributeName;

/**
 * aws_vpc's mappers against moto and a real database, step by step as apply and sync use them. Each test works in a
 * region of its own, so the tests of one moto server do not see each other's resources.
 */
@ExtendWith(IasqlExtension.class)
class AwsVpcModuleTest {
  private final AwsVpcModule module = new AwsVpcModule();
  private final Mapper<Vpc> vpcs = Mappers.of(module, "vpc");
  private final Mapper<Subnet> subnets = Mappers.of(module, "subnet");
  private final Mapper<AvailabilityZone> zones = Mappers.of(module, "availability_zone");

  @Test
  void readCloudSeesTheDefaultVpcItsSubnetsAndTheZones() {
    String region = "us-west-1";
    try (MotoContext ctx = MotoContext.of(region)) {
      List<AvailabilityZone> azs = zones.readCloud(ctx, region);
      assertThat(azs).isNotEmpty().allSatisfy(z -> {
        assertThat(z.name()).startsWith(region);
        assertThat(z.region()).isEqualTo(region);
      });

      Vpc dflt = defaultVpc(ctx, region);
      assertThat(dflt.cidrBlock()).isEqualTo("172.31.0.0/16");
      assertThat(dflt.state()).isEqualTo("available");
      assertThat(dflt.enableDnsSupport()).as("unknown: DescribeVpcs does not say").isNull();
      assertThat(vpcs.ownedByCloud(dflt)).isTrue();
      assertThat(vpcs.cloudKey(dflt)).isEqualTo(region + "/" + dflt.vpcId());

      List<Subnet> defaults = subnets.readCloud(ctx, region).stream()
          .filter(s -> Objects.equals(s.vpcId(), dflt.vpcId())).toList();
      assertThat(defaults).hasSize(azs.size()).allSatisfy(s -> {
        assertThat(subnets.ownedByCloud(s)).isTrue();
        assertThat(s.subnetId()).startsWith("subnet-");
        assertThat(s.subnetArn()).contains(s.subnetId());
        assertThat(s.ownerId()).isEqualTo(Moto.ACCOUNT_ID);
        assertThat(s.availableIpAddressCount()).isPositive();
      });
      assertThat(defaults).extracting(Subnet::availabilityZone)
          .containsExactlyInAnyOrderElementsOf(azs.stream().map(AvailabilityZone::name).toList());
    }
  }

  @Test
  void importedRowsCompareNoneWithWhatAwsHas(TestDatabase db) throws Exception {
    String region = "ap-northeast-3";
    AwsTestDb.install(db, region, "aws_vpc");
    try (MotoContext ctx = MotoContext.of(region); Connection c = db.admin()) {
      Mappers.assertRoundTrip(zones, ctx, c, region);
      Mappers.assertRoundTrip(vpcs, ctx, c, region);
      Mappers.assertRoundTrip(subnets, ctx, c, region);
      assertThat(rows(c, "SELECT state::text AS state, is_default, tags::text AS tags FROM vpc"))
          .containsExactly(Map.of("state", "available", "is_default", true, "tags", "{}"));
      assertThat(value(c, "SELECT count(*) FROM subnet s JOIN vpc v ON v.id = s.vpc_id WHERE v.is_default"))
          .isEqualTo((long) zones.readCloud(ctx, region).size());
    }
  }

  @Test
  void createsAVpcAndASubnetFromRowsAndDeletesThem(TestDatabase db) throws Exception {
    String region = "af-south-1";
    AwsTestDb.install(db, region, "aws_vpc");
    try (MotoContext ctx = MotoContext.of(region); Connection c = db.admin(); Connection tenant = db.tenant()) {
      Mappers.importMissing(zones, ctx, c, region);
      Mappers.importMissing(vpcs, ctx, c, region);
      exec(tenant, "INSERT INTO vpc (cidr_block, enable_dns_hostnames, enable_dns_support, tags)"
          + " VALUES ('10.10.0.0/16', true, true, '{\"Name\": \"app\", \"team\": \"core\"}')");
      exec(tenant, "INSERT INTO subnet (cidr_block, availability_zone, vpc_id)"
          + " SELECT '10.10.1.0/24', ?, id FROM vpc WHERE cidr_block = '10.10.0.0/16'", region + "a");

      Subnet waiting = newRow(subnets, c);
      assertThat(subnets.cloudKey(waiting)).isNull();
      assertThatThrownBy(() -> subnets.create(ctx, waiting)).isInstanceOf(WaitingFor.class)
          .hasMessageContaining("vpc 10.10.0.0/16");

      Vpc vpcRow = newRow(vpcs, c);
      assertThat(vpcs.cloudKey(vpcRow)).isNull();
      Vpc created = Mappers.create(vpcs, ctx, c, vpcRow);
      assertThat(created.vpcId()).startsWith("vpc-");
      assertThat(created.tags()).isEqualTo(Map.of("Name", "app", "team", "core"));
      assertThat(created.enableDnsHostnames()).isTrue();
      Vpc fresh = Mappers.cloudFor(vpcs, ctx, region, Objects.requireNonNull(vpcs.cloudKey(created)));
      assertThat(vpcs.compare(created, fresh)).isIn(Difference.NONE, Difference.CLOUD_FIELDS);
      assertThat(vpcs.compare(Mappers.dbRowFor(vpcs, c, fresh), fresh)).isEqualTo(Difference.NONE);
      assertThat(vpcs.ownedByCloud(fresh)).isFalse();
      assertThat(vpcs.claim(fresh)).as("tagged with its row at create")
          .isEqualTo(new RowClaim(MotoContext.DATABASE, Objects.requireNonNull(vpcRow.id())));
      assertThat(fresh.tags()).as("the row's tags only").isEqualTo(Map.of("Name", "app", "team", "core"));
      Ec2Client ec2 = ctx.ec2(region);
      assertThat(ec2.describeVpcAttribute(
          b -> b.vpcId(created.vpcId()).attribute(VpcAttributeName.ENABLE_DNS_HOSTNAMES)).enableDnsHostnames().value())
          .isTrue();
      assertThat(ec2.describeVpcAttribute(
          b -> b.vpcId(created.vpcId()).attribute(VpcAttributeName.ENABLE_DNS_SUPPORT)).enableDnsSupport().value())
          .isTrue();

      Subnet subnetRow = newRow(subnets, c);
      assertThat(subnetRow.vpcId()).isEqualTo(created.vpcId());
      Subnet subnet = Mappers.create(subnets, ctx, c, subnetRow);
      assertThat(subnet.subnetId()).startsWith("subnet-");
      Subnet freshSubnet = Mappers.cloudFor(subnets, ctx, region, Objects.requireNonNull(subnets.cloudKey(subnet)));
      assertThat(subnets.compare(subnet, freshSubnet)).isIn(Difference.NONE, Difference.CLOUD_FIELDS);
      assertThat(subnets.compare(Mappers.dbRowFor(subnets, c, freshSubnet), freshSubnet)).isEqualTo(Difference.NONE);
      assertThat(subnets.ownedByCloud(freshSubnet)).isFalse();
      assertThat(subnets.claim(freshSubnet)).as("tagged with its row at create")
          .isEqualTo(new RowClaim(MotoContext.DATABASE, Objects.requireNonNull(subnetRow.id())));
      assertThat(value(c, "SELECT subnet_arn FROM subnet WHERE subnet_id = ?", subnet.subnetId()))
          .isEqualTo(freshSubnet.subnetArn());

      subnets.delete(ctx, freshSubnet);
      vpcs.delete(ctx, fresh);
      assertThat(Mappers.byKey(subnets, subnets.readCloud(ctx, region))).doesNotContainKey(subnets.cloudKey(subnet));
      assertThat(Mappers.byKey(vpcs, vpcs.readCloud(ctx, region))).doesNotContainKey(vpcs.cloudKey(created));
      subnets.delete(ctx, freshSubnet);
      vpcs.delete(ctx, fresh);
    }
  }

  @Test
  void comparesWhatAUserCanChange(TestDatabase db) throws Exception {
    String region = "ap-east-1";
    AwsTestDb.install(db, region, "aws_vpc");
    try (MotoContext ctx = MotoContext.of(region); Connection c = db.admin(); Connection tenant = db.tenant()) {
      Mappers.importMissing(zones, ctx, c, region);
      Mappers.importMissing(vpcs, ctx, c, region);
      Mappers.importMissing(subnets, ctx, c, region);
      exec(tenant, "INSERT INTO vpc (cidr_block, tags) VALUES ('10.20.0.0/16', '{\"a\": \"1\", \"b\": \"2\"}')");
      Vpc created = Mappers.create(vpcs, ctx, c, newRow(vpcs, c));
      String key = Objects.requireNonNull(vpcs.cloudKey(created));
      // The column defaults say DNS support off, unlike a new VPC in AWS: create turned it off.
      assertThat(ctx.ec2(region).describeVpcAttribute(b -> b.vpcId(created.vpcId())
          .attribute(VpcAttributeName.ENABLE_DNS_SUPPORT)).enableDnsSupport().value()).isFalse();

      exec(tenant, "UPDATE vpc SET tags = '{\"b\": \"3\", \"c\": \"4\"}' WHERE vpc_id = ?", created.vpcId());
      Vpc row = Mappers.byKey(vpcs, vpcs.readDb(c)).get(key);
      Vpc fresh = Mappers.cloudFor(vpcs, ctx, region, key);
      assertThat(vpcs.compare(row, fresh)).isEqualTo(Difference.UPDATE);
      Vpc updated = vpcs.update(ctx, row, fresh);
      vpcs.updateDb(c, row, updated);
      Vpc after = Mappers.cloudFor(vpcs, ctx, region, key);
      assertThat(after.tags()).isEqualTo(Map.of("b", "3", "c", "4"));
      assertThat(vpcs.claim(after)).as("a tags update leaves the row's tag alone")
          .isEqualTo(new RowClaim(MotoContext.DATABASE, Objects.requireNonNull(row.id())));
      assertThat(value(c, "SELECT tags::text FROM vpc WHERE vpc_id = ?", created.vpcId()))
          .isEqualTo("{\"b\" : \"3\", \"c\" : \"4\"}");
      assertThat(vpcs.compare(Mappers.dbRowFor(vpcs, c, after), after)).isEqualTo(Difference.NONE);

      exec(tenant, "UPDATE vpc SET enable_dns_hostnames = true WHERE vpc_id = ?", created.vpcId());
      assertThat(vpcs.compare(Mappers.dbRowFor(vpcs, c, after), after))
          .as("DNS attributes are not read, so an unknown value is no difference").isEqualTo(Difference.NONE);
      exec(tenant, "UPDATE vpc SET cidr_block = '10.30.0.0/16' WHERE vpc_id = ?", created.vpcId());
      assertThat(vpcs.compare(Mappers.dbRowFor(vpcs, c, after), after)).isEqualTo(Difference.REPLACE);
      exec(tenant, "UPDATE vpc SET state = 'pending', cidr_block = '10.20.0.0/16' WHERE vpc_id = ?",
          created.vpcId());
      assertThat(vpcs.compare(Mappers.dbRowFor(vpcs, c, after), after)).isEqualTo(Difference.CLOUD_FIELDS);

      // AWS's own resources are put back, never replaced.
      Vpc dflt = defaultVpc(ctx, region);
      exec(tenant, "UPDATE vpc SET cidr_block = '10.99.0.0/16' WHERE vpc_id = ?", dflt.vpcId());
      Vpc dfltRow = Mappers.dbRowFor(vpcs, c, dflt);
      assertThat(vpcs.compare(dfltRow, dflt)).isEqualTo(Difference.CLOUD_FIELDS);
      vpcs.updateDb(c, dfltRow, dflt);
      assertThat(vpcs.compare(Mappers.dbRowFor(vpcs, c, dflt), dflt)).isEqualTo(Difference.NONE);
      Subnet dfltSubnet = subnets.readCloud(ctx, region).stream().filter(Subnet::defaultForAz).findFirst()
          .orElseThrow();
      exec(tenant, "UPDATE subnet SET cidr_block = '10.99.0.0/24' WHERE subnet_id = ?", dfltSubnet.subnetId());
      assertThat(subnets.compare(Mappers.dbRowFor(subnets, c, dfltSubnet), dfltSubnet))
          .isEqualTo(Difference.CLOUD_FIELDS);
      exec(tenant, "UPDATE subnet SET cidr_block = ?, available_ip_address_count = 1 WHERE subnet_id = ?",
          dfltSubnet.cidrBlock(), dfltSubnet.subnetId());
      assertThat(subnets.compare(Mappers.dbRowFor(subnets, c, dfltSubnet), dfltSubnet))
          .isEqualTo(Difference.CLOUD_FIELDS);

      exec(tenant, "INSERT INTO subnet (cidr_block, availability_zone, vpc_id)"
          + " SELECT '10.20.1.0/24', ?, id FROM vpc WHERE vpc_id = ?", region + "a", created.vpcId());
      Subnet subnet = Mappers.create(subnets, ctx, c, newRow(subnets, c));
      exec(tenant, "UPDATE subnet SET availability_zone = ? WHERE subnet_id = ?", region + "b", subnet.subnetId());
      assertThat(subnets.compare(Mappers.dbRowFor(subnets, c, subnet), subnet)).isEqualTo(Difference.REPLACE);

      subnets.delete(ctx, subnet);
      vpcs.delete(ctx, after);
    }
  }

  @Test
  void availabilityZonesAreReadOnlyForTheTenant(TestDatabase db) throws Exception {
    String region = "ap-south-2";
    AwsTestDb.install(db, region, "aws_vpc");
    try (Connection tenant = db.tenant()) {
      assertThat(zones.source()).isEqualTo(Mapper.Source.CLOUD);
      assertThatThrownBy(() -> exec(tenant, "INSERT INTO availability_zone (name) VALUES ('x')"))
          .isInstanceOf(PSQLException.class).hasMessageContaining("permission denied");
    }
  }

  @Test
  void awsErrorsNameTheRequestTheRegionAndTheCode() {
    String region = "ap-southeast-3";
    try (MotoContext bad = MotoContext.with(Moto.invalidKeys(), region)) {
      assertThatThrownBy(() -> vpcs.readCloud(bad, region)).isInstanceOfSatisfying(CloudException.class, e -> {
        assertThat(e.kind()).isEqualTo(CloudException.Kind.CREDENTIALS);
        assertThat(e.getMessage()).startsWith("DescribeVpcs in " + region + " failed: " + e.errorCode() + ": ");
      });
    }
    try (MotoContext ctx = MotoContext.of(region)) {
      Subnet orphan = new Subnet(null, null, null, null, "10.0.0.0/24", null, null, region + "a", "vpc-0000000000",
          region, false, null, null);
      assertThatThrownBy(() -> subnets.create(ctx, orphan)).isInstanceOfSatisfying(CloudException.class, e -> {
        assertThat(e.kind()).isEqualTo(CloudException.Kind.REQUEST);
        assertThat(e.errorCode()).isEqualTo("InvalidVpcID.NotFound");
        assertThat(e.getMessage()).startsWith("CreateSubnet in " + region + " failed: InvalidVpcID.NotFound: ");
      });
    }
  }

  @Test
  void uninstallDropsTheEnumsSoItInstallsAgain(TestDatabase db) throws Exception {
    AwsTestDb.install(db, "ca-west-1", "aws_vpc");
    try (Connection tenant = db.tenant()) {
      rows(tenant, "SELECT * FROM iasql_uninstall('aws_vpc')");
      assertThat(value(tenant, "SELECT count(*) FROM pg_type WHERE typname IN ('vpc_state_enum', 'subnet_state_enum')"))
          .isEqualTo(0L);
      assertThat(rows(tenant, "SELECT * FROM iasql_install('aws_vpc')")).isNotEmpty();
    }
  }

  private Vpc defaultVpc(MotoContext ctx, String region) {
    return vpcs.readCloud(ctx, region).stream().filter(Vpc::isDefault).findFirst().orElseThrow();
  }

  /** The one row that has no cloud key yet. */
  private static <E> E newRow(Mapper<E> m, Connection c) throws SQLException {
    return only(m.readDb(c).stream().filter(e -> m.cloudKey(e) == null).toList());
  }

  private static <E> E only(List<E> values) {
    assertThat(values).hasSize(1);
    return values.get(0);
  }
}
