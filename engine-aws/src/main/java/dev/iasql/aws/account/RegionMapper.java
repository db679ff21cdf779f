package dev.iasql.aws.account;

import dev.iasql.aws.AwsErrors;
import dev.iasql.aws.Jdbc;
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.Mapper;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Region;

/**
 * {@code aws_regions}: the cloud decides which regions exist (the ones the account may use), the user which are enabled
 * and which is the default. Sync adds and removes rows; it never touches the flags of a row that stays.
 */
final class RegionMapper implements Mapper<AwsRegion> {
  static final String TABLE = "aws_regions";

  @Override
  public String table() {
    return TABLE;
  }

  @Override
  public Source source() {
    return Source.CLOUD;
  }

  @Override
  public Scope scope() {
    return Scope.GLOBAL;
  }

  @Override
  public String cloudKey(AwsRegion e) {
    return e.region();
  }

  @Override
  public @Nullable String region(AwsRegion e) {
    return null;
  }

  @Override
  public String describe(AwsRegion e) {
    return e.region();
  }

  /** The flags are the user's: a region that exists on both sides is always in sync. */
  @Override
  public Difference compare(AwsRegion db, AwsRegion cloud) {
    return Difference.NONE;
  }

  @Override
  public List<AwsRegion> readDb(Connection c) throws SQLException {
    return Jdbc.query(c, "SELECT region, is_default, is_enabled FROM public.aws_regions ORDER BY region",
        rs -> new AwsRegion(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3)));
  }

  /**
   * A new region is enabled only if it is the default region: the engine reads every regional table once per enabled
   * region, so a sync costs one request per resource type for the default region until the user enables more.
   * It is never made the default: {@code default_aws_region(text)} does that.
   */
  @Override
  public @Nullable Integer insertDb(Connection c, AwsRegion cloud) throws SQLException {
    Jdbc.update(c, "INSERT INTO public.aws_regions (region, is_default, is_enabled)"
        + " VALUES (?, false, ? = public.default_aws_region()) ON CONFLICT (region) DO NOTHING", cloud.region(),
        cloud.region());
    return null; // regions are keyed by name
  }

  @Override
  public void updateDb(Connection c, AwsRegion db, AwsRegion cloud) {
    // compare() is always NONE: nothing of a region the cloud has is ever written back.
  }

  @Override
  public void deleteDb(Connection c, AwsRegion db) throws SQLException {
    Jdbc.update(c, "DELETE FROM public.aws_regions WHERE region = ?", db.region());
  }

  /** The regions enabled for the account (opt-in regions not opted into are left out), asked in the default region. */
  @Override
  public List<AwsRegion> readCloud(CloudContext ctx, @Nullable String region) {
    String in = ctx.defaultRegion();
    Ec2Client ec2 = ctx.client(Ec2Client.class, in);
    List<Region> regions = AwsErrors.call("DescribeRegions", in, () -> ec2.describeRegions(r -> r.allRegions(false)))
        .regions();
    return regions.stream().map(r -> AwsRegion.fromCloud(r.regionName()))
        .sorted(Comparator.comparing(AwsRegion::region)).toList();
  }
}
