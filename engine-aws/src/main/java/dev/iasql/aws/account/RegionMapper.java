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

  /**
   * The flags are the user's: a region that exists on both sides is in sync once the engine has recorded that the
   * cloud lists it (a row the user inserted for a real region, or one of a database made before that record).
   */
  @Override
  public Difference compare(AwsRegion db, AwsRegion cloud) {
    return db.listed() ? Difference.NONE : Difference.CLOUD_FIELDS;
  }

  @Override
  public List<AwsRegion> readDb(Connection c) throws SQLException {
    // A database whose aws_account was installed before the record existed has none: its rows count as listed.
    String listed = recorded(c) ? "l.region IS NOT NULL" : "true";
    return Jdbc.query(c, "SELECT r.region, r.is_default, r.is_enabled, " + listed + " FROM public.aws_regions r"
            + (recorded(c) ? " LEFT JOIN iasql_engine.aws_regions_listed l ON l.region = r.region" : "")
            + " ORDER BY r.region",
        rs -> new AwsRegion(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4)));
  }

  /**
   * A new region is enabled only if it is the default region: the engine reads every regional table once per enabled
   * region, so a sync costs one request per resource type for the default region until the user enables more.
   * It is never made the default: {@code default_aws_region(text)} does that.
   */
  @Override
  public @Nullable Integer insertDb(Connection c, AwsRegion cloud) throws SQLException {
    listed(c, cloud.region());
    Jdbc.update(c, "INSERT INTO public.aws_regions (region, is_default, is_enabled)"
        + " VALUES (?, false, ? = public.default_aws_region()) ON CONFLICT (region) DO NOTHING", cloud.region(),
        cloud.region());
    return null; // regions are keyed by name
  }

  /** Only the record that the cloud lists it: nothing of a region the cloud has is ever written to its row. */
  @Override
  public void updateDb(Connection c, AwsRegion db, AwsRegion cloud) throws SQLException {
    listed(c, cloud.region());
  }

  @Override
  public void deleteDb(Connection c, AwsRegion db) throws SQLException {
    if (recorded(c)) {
      Jdbc.update(c, "DELETE FROM iasql_engine.aws_regions_listed WHERE region = ?", db.region());
    }
    Jdbc.update(c, "DELETE FROM public.aws_regions WHERE region = ?", db.region());
  }

  private static void listed(Connection c, String region) throws SQLException {
    if (recorded(c)) {
      Jdbc.update(c, "INSERT INTO iasql_engine.aws_regions_listed (region) VALUES (?) ON CONFLICT DO NOTHING",
          region);
    }
  }

  private static boolean recorded(Connection c) throws SQLException {
    return Jdbc.query(c, "SELECT to_regclass('iasql_engine.aws_regions_listed') IS NOT NULL", rs -> rs.getBoolean(1))
        .get(0);
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
