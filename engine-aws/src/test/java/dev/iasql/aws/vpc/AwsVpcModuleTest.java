package dev.iasql.aws.vpc;

import static dev.iasql.testkit.Sql.exec;
import static dev.iasql.testkit.Sql.rows;
import static dev.iasql.testkit.Sql.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.engine.kit.Row;
import dev.iasql.engine.spi.CloudException;
import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.RowClaim;
import dev.iasql.engine.spi.WaitingFor;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
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
 * aws_vpc's special cases, against moto and a real database, step by step as apply and sync use its mappers: AWS's
 * default VPC and subnets, unlisted DNS attributes, the engine's tag kept out of the tags, typed CIDRs, the zones. Each
 * test works in a region of its own, so the tests of one moto server do not see each other's resources.
 */
@ExtendWith(IasqlExtension.class)
class AwsVpcModuleTest {
  private final AwsVpcModule module = new AwsVpcModule();
  private final Mapper<Row> vpcs = Mappers.of(module, "vpc");
  private final Mapper<Row> subnets = Mappers.of(module, "subnet");
  private final Mapper<Row> zones = Mappers.of(module, "availability_zone");

  @Test
  void readCloudSeesTheDefaultVpcItsSubnetsAndTheZones() {
    String region = "us-west-1";
    try (MotoContext ctx = MotoContext.of(region)) {
      List<Row> azs = zones.readCloud(ctx, region);
      assertThat(azs).isNotEmpty().allSatisfy(z -> {
        assertThat(z.text("name")).startsWith(region);
        assertThat(z.region()).isEqualTo(region);
      });

      Row dflt = defaultVpc(ctx, region);
      assertThat(dflt.text("cidr_block")).isEqualTo("172.31.0.0/16");
      assertThat(dflt.text("state")).isEqualTo("available");
      assertThat(dflt.get("enable_dns_support")).as("unknown: DescribeVpcs does not say").isNull();
      assertThat(vpcs.ownedByCloud(dflt)).isTrue();
      assertThat(vpcs.cloudKey(dflt)).isEqualTo(region + "/" + dflt.text("vpc_id"));

      List<Row> defaults = subnets.readCloud(ctx, region).stream()
          .filter(s -> Objects.equals(s.text("vpc_id"), dflt.text("vpc_id"))).toList();
      assertThat(defaults).hasSize(azs.size()).allSatisfy(s -> {
        assertThat(subnets.ownedByCloud(s)).isTrue();
        assertThat(s.text("subnet_id")).startsWith("subnet-");
        assertThat(s.text("subnet_arn")).contains(s.text("subnet_id"));
        assertThat(s.text("owner_id")).isEqualTo(Moto.ACCOUNT_ID);
        assertThat((Integer) s.get("available_ip_address_count")).isPositive();
      });
      assertThat(defaults).extracting(s -> s.text("availability_zone"))
          .containsExactlyInAnyOrderElementsOf(azs.stream().map(z -> z.text("name")).toList());
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

      Row waiting = newRow(subnets, c);
      assertThat(subnets.cloudKey(waiting)).isNull();
      Row vpcRow = newRow(vpcs, c);
      assertThatThrownBy(() -> subnets.create(ctx, waiting)).isInstanceOf(WaitingFor.class)
          .hasMessageContaining("vpc row " + vpcRow.id());

      assertThat(vpcs.cloudKey(vpcRow)).isNull();
      Row created = Mappers.create(vpcs, ctx, c, vpcRow);
      String vpcId = created.text("vpc_id");
      assertThat(vpcId).startsWith("vpc-");
      assertThat(created.get("tags")).isEqualTo(Map.of("Name", "app", "team", "core"));
      assertThat(created.get("enable_dns_hostnames")).as("unlisted: unknown, as AWS's reads leave it").isNull();
      assertThat(value(c, "SELECT enable_dns_hostnames FROM vpc WHERE vpc_id = ?", vpcId))
          .as("the row keeps what it asked for").isEqualTo(true);
      Row fresh = Mappers.cloudFor(vpcs, ctx, region, Objects.requireNonNull(vpcs.cloudKey(created)));
      assertThat(vpcs.compare(created, fresh)).isIn(Difference.NONE, Difference.CLOUD_FIELDS);
      assertThat(vpcs.compare(Mappers.dbRowFor(vpcs, c, fresh), fresh)).isEqualTo(Difference.NONE);
      assertThat(vpcs.ownedByCloud(fresh)).isFalse();
      assertThat(vpcs.claim(fresh)).as("tagged with its row at create")
          .isEqualTo(new RowClaim(MotoContext.DATABASE, Objects.requireNonNull(vpcRow.id())));
      assertThat(fresh.get("tags")).as("the row's tags only").isEqualTo(Map.of("Name", "app", "team", "core"));
      Ec2Client ec2 = ctx.ec2(region);
      assertThat(ec2.describeVpcAttribute(
          b -> b.vpcId(vpcId).attribute(VpcAttributeName.ENABLE_DNS_HOSTNAMES)).enableDnsHostnames().value())
          .isTrue();
      assertThat(ec2.describeVpcAttribute(
          b -> b.vpcId(vpcId).attribute(VpcAttributeName.ENABLE_DNS_SUPPORT)).enableDnsSupport().value())
          .isTrue();

      Row subnetRow = newRow(subnets, c);
      assertThat(subnetRow.text("vpc_id")).isEqualTo(vpcId);
      Row subnet = Mappers.create(subnets, ctx, c, subnetRow);
      assertThat(subnet.text("subnet_id")).startsWith("subnet-");
      Row freshSubnet = Mappers.cloudFor(subnets, ctx, region, Objects.requireNonNull(subnets.cloudKey(subnet)));
      assertThat(subnets.compare(subnet, freshSubnet)).isIn(Difference.NONE, Difference.CLOUD_FIELDS);
      assertThat(subnets.compare(Mappers.dbRowFor(subnets, c, freshSubnet), freshSubnet)).isEqualTo(Difference.NONE);
      assertThat(subnets.ownedByCloud(freshSubnet)).isFalse();
      assertThat(subnets.claim(freshSubnet)).as("tagged with its row at create")
          .isEqualTo(new RowClaim(MotoContext.DATABASE, Objects.requireNonNull(subnetRow.id())));
      assertThat(value(c, "SELECT subnet_arn FROM subnet WHERE subnet_id = ?", subnet.text("subnet_id")))
          .isEqualTo(freshSubnet.text("subnet_arn"));

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
      Row row0 = newRow(vpcs, c);
      Row created = Mappers.create(vpcs, ctx, c, row0);
      String vpcId = created.text("vpc_id");
      String key = Objects.requireNonNull(vpcs.cloudKey(created));
      // The column defaults say DNS support off, unlike a new VPC in AWS: create turned it off.
      assertThat(ctx.ec2(region).describeVpcAttribute(b -> b.vpcId(vpcId)
          .attribute(VpcAttributeName.ENABLE_DNS_SUPPORT)).enableDnsSupport().value()).isFalse();

      exec(tenant, "UPDATE vpc SET tags = '{\"b\": \"3\", \"c\": \"4\"}' WHERE vpc_id = ?", vpcId);
      Row row = Mappers.byKey(vpcs, vpcs.readDb(c)).get(key);
      Row fresh = Mappers.cloudFor(vpcs, ctx, region, key);
      assertThat(vpcs.compare(row, fresh)).isEqualTo(Difference.UPDATE);
      Row updated = vpcs.update(ctx, row, fresh);
      vpcs.updateDb(c, row, updated);
      Row after = Mappers.cloudFor(vpcs, ctx, region, key);
      assertThat(after.get("tags")).isEqualTo(Map.of("b", "3", "c", "4"));
      assertThat(vpcs.claim(after)).as("a tags update leaves the row's tag alone")
          .isEqualTo(new RowClaim(MotoContext.DATABASE, Objects.requireNonNull(row0.id())));
      assertThat(value(c, "SELECT tags::jsonb = '{\"b\": \"3\", \"c\": \"4\"}'::jsonb FROM vpc WHERE vpc_id = ?",
          vpcId)).isEqualTo(true);
      assertThat(vpcs.compare(Mappers.dbRowFor(vpcs, c, after), after)).isEqualTo(Difference.NONE);

      exec(tenant, "UPDATE vpc SET tags = '{\"iasql:row\": \"x\", \"b\": \"3\", \"c\": \"4\"}' WHERE vpc_id = ?",
          vpcId);
      assertThat(vpcs.compare(Mappers.dbRowFor(vpcs, c, after), after)).as("the engine's tag key is no user's: ignored")
          .isEqualTo(Difference.NONE);

      exec(tenant, "UPDATE vpc SET enable_dns_hostnames = true WHERE vpc_id = ?", vpcId);
      assertThat(vpcs.compare(Mappers.dbRowFor(vpcs, c, after), after))
          .as("DNS attributes are not read, so an unknown value is no difference").isEqualTo(Difference.NONE);
      vpcs.updateDb(c, Mappers.dbRowFor(vpcs, c, after), after);
      assertThat(value(c, "SELECT enable_dns_hostnames FROM vpc WHERE vpc_id = ?", vpcId))
          .as("nor does writing the cloud's value back change it").isEqualTo(true);
      exec(tenant, "UPDATE vpc SET cidr_block = '10.30.0.0/16' WHERE vpc_id = ?", vpcId);
      assertThat(vpcs.compare(Mappers.dbRowFor(vpcs, c, after), after)).isEqualTo(Difference.REPLACE);
      exec(tenant, "UPDATE vpc SET state = 'pending', cidr_block = '10.20.0.0/16' WHERE vpc_id = ?", vpcId);
      assertThat(vpcs.compare(Mappers.dbRowFor(vpcs, c, after), after)).isEqualTo(Difference.CLOUD_FIELDS);

      // AWS's own resources are put back, never replaced.
      Row dflt = defaultVpc(ctx, region);
      exec(tenant, "UPDATE vpc SET cidr_block = '10.99.0.0/16' WHERE vpc_id = ?", dflt.text("vpc_id"));
      Row dfltRow = Mappers.dbRowFor(vpcs, c, dflt);
      assertThat(vpcs.compare(dfltRow, dflt)).isEqualTo(Difference.CLOUD_FIELDS);
      vpcs.updateDb(c, dfltRow, dflt);
      assertThat(vpcs.compare(Mappers.dbRowFor(vpcs, c, dflt), dflt)).isEqualTo(Difference.NONE);
      Row dfltSubnet = subnets.readCloud(ctx, region).stream().filter(subnets::ownedByCloud).findFirst()
          .orElseThrow();
      exec(tenant, "UPDATE subnet SET cidr_block = '10.99.0.0/24' WHERE subnet_id = ?", dfltSubnet.text("subnet_id"));
      assertThat(subnets.compare(Mappers.dbRowFor(subnets, c, dfltSubnet), dfltSubnet))
          .isEqualTo(Difference.CLOUD_FIELDS);
      exec(tenant, "UPDATE subnet SET cidr_block = ?::cidr, available_ip_address_count = 1 WHERE subnet_id = ?",
          dfltSubnet.text("cidr_block"), dfltSubnet.text("subnet_id"));
      assertThat(subnets.compare(Mappers.dbRowFor(subnets, c, dfltSubnet), dfltSubnet))
          .isEqualTo(Difference.CLOUD_FIELDS);

      exec(tenant, "INSERT INTO subnet (cidr_block, availability_zone, vpc_id)"
          + " SELECT '10.20.1.0/24', ?, id FROM vpc WHERE vpc_id = ?", region + "a", vpcId);
      Row subnet = Mappers.create(subnets, ctx, c, newRow(subnets, c));
      exec(tenant, "UPDATE subnet SET availability_zone = ? WHERE subnet_id = ?", region + "b",
          subnet.text("subnet_id"));
      assertThat(subnets.compare(Mappers.dbRowFor(subnets, c, subnet), subnet)).isEqualTo(Difference.REPLACE);

      subnets.delete(ctx, subnet);
      vpcs.delete(ctx, after);
    }
  }

  /** New with the kit: a CIDR is typed, so a bad one is refused at INSERT, naming it, not at apply after retries. */
  @Test
  void aBadCidrIsRefusedAtInsert(TestDatabase db) throws Exception {
    AwsTestDb.install(db, "ap-southeast-4", "aws_vpc");
    try (Connection tenant = db.tenant()) {
      PSQLException vpc = Sql.failure(tenant, "INSERT INTO vpc (cidr_block) VALUES ('10.0.0.300/16')");
      assertThat(vpc.getSQLState()).isEqualTo("22P02");
      assertThat(vpc.getMessage()).contains("cidr", "10.0.0.300/16");
      assertThat(Sql.failure(tenant, "INSERT INTO vpc (cidr_block) VALUES (cast(? AS cidr))", "10.0.0.1/16")
          .getMessage()).as("host bits set: not a network").contains("10.0.0.1/16");
      exec(tenant, "INSERT INTO vpc (cidr_block) VALUES ('10.5.0.0/16')");
      PSQLException subnet = Sql.failure(tenant, "INSERT INTO subnet (cidr_block, availability_zone, vpc_id)"
          + " SELECT 'ten-dot-five', name, (SELECT id FROM vpc WHERE cidr_block = '10.5.0.0/16') FROM"
          + " availability_zone LIMIT 1");
      assertThat(subnet.getSQLState()).isEqualTo("22P02");
      assertThat(subnet.getMessage()).contains("ten-dot-five");
      assertThat(value(tenant, "SELECT count(*) FROM subnet WHERE vpc_id = (SELECT id FROM vpc"
          + " WHERE cidr_block = '10.5.0.0/16')")).isEqualTo(0L);
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
      Row orphan = Row.in(region).with("cidr_block", "10.0.0.0/24").with("availability_zone", region + "a")
          .with("vpc_id", "vpc-0000000000");
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

  private Row defaultVpc(MotoContext ctx, String region) {
    return vpcs.readCloud(ctx, region).stream().filter(vpcs::ownedByCloud).findFirst().orElseThrow();
  }

  /** The one row that has no cloud key yet. */
  private static Row newRow(Mapper<Row> m, Connection c) throws SQLException {
    List<Row> fresh = m.readDb(c).stream().filter(e -> m.cloudKey(e) == null).toList();
    assertThat(fresh).hasSize(1);
    return fresh.get(0);
  }
}
