package dev.iasql.aws.vpc;

import static java.util.Objects.requireNonNull;

import dev.iasql.aws.AwsErrors;
import dev.iasql.aws.Jdbc;
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.Mapper;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

/** The {@code availability_zone} table: AWS's list of zones, copied into the DB; read-only for the tenant. */
final class AvailabilityZoneMapper implements Mapper<AvailabilityZone> {
  static final String TABLE = "availability_zone";

  @Override
  public String table() {
    return TABLE;
  }

  @Override
  public Source source() {
    return Source.CLOUD;
  }

  @Override
  public @Nullable String cloudKey(AvailabilityZone e) {
    return e.region() + "/" + e.name();
  }

  @Override
  public String region(AvailabilityZone e) {
    return e.region();
  }

  @Override
  public String describe(AvailabilityZone e) {
    return e.name();
  }

  /** The key is the whole value. */
  @Override
  public Difference compare(AvailabilityZone db, AvailabilityZone cloud) {
    return Difference.NONE;
  }

  @Override
  public List<AvailabilityZone> readDb(Connection c) throws SQLException {
    return Jdbc.query(c, "SELECT name, region FROM availability_zone ORDER BY name",
        rs -> new AvailabilityZone(rs.getString("name"), rs.getString("region")));
  }

  @Override
  public @Nullable Integer insertDb(Connection c, AvailabilityZone cloud) throws SQLException {
    Jdbc.update(c, "INSERT INTO availability_zone (name, region) VALUES (?, ?)", cloud.name(), cloud.region());
    return null; // zones are keyed by name
  }

  @Override
  public void updateDb(Connection c, AvailabilityZone db, AvailabilityZone cloud) {
    // Nothing but the key: there is never anything to correct.
  }

  @Override
  public void deleteDb(Connection c, AvailabilityZone db) throws SQLException {
    Jdbc.update(c, "DELETE FROM availability_zone WHERE name = ?", db.name());
  }

  @Override
  public List<AvailabilityZone> readCloud(CloudContext ctx, @Nullable String region) {
    String r = requireNonNull(region, "availability_zone is regional");
    Ec2Client ec2 = ctx.client(Ec2Client.class, r);
    // Not paginated by AWS. Without AllAvailabilityZones, only the zones the account can use (no opt-in zones).
    return AwsErrors.call("DescribeAvailabilityZones", r, () -> ec2.describeAvailabilityZones(
        b -> b.filters(Filter.builder().name("region-name").values(r).build())).availabilityZones().stream()
        .filter(z -> z.zoneName() != null).map(z -> new AvailabilityZone(z.zoneName(), r)).toList());
  }
}
