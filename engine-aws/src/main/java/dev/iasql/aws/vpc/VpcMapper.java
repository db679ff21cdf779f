package dev.iasql.aws.vpc;

import static java.util.Objects.requireNonNull;

import dev.iasql.aws.AwsErrors;
import dev.iasql.aws.Jdbc;
import dev.iasql.aws.RegionalMapper;
import dev.iasql.aws.RowTag;
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.RowClaim;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.CreateVpcRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcsRequest;
import software.amazon.awssdk.services.ec2.model.ModifyVpcAttributeRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The {@code vpc} table.
 *
 * <p>DNS attributes are write-only. DescribeVpcs does not return {@code enableDnsHostnames}, {@code enableDnsSupport}
 * or {@code enableNetworkAddressUsageMetrics}; only DescribeVpcAttribute does, one attribute of one VPC per request.
 * Reading them would make every read cost three requests per VPC, so reads leave them unknown (null) and
 * {@link #compare} ignores an unknown value: the row keeps what it says. Create sets them (where they differ from
 * what a new VPC gets) and so does update when it knows the current value. The price: a change made to them outside
 * the DB is not seen, and a changed row of an existing VPC is not pushed until the value is known again.
 *
 * <p>Create tags the VPC with its row ({@link RowTag}) besides the row's tags. That tag is the engine's: {@link Tags}
 * leaves it out of every value, so the {@code tags} column never shows it and a tags update, which works from those
 * values, never changes or deletes it.
 */
final class VpcMapper implements RegionalMapper<Vpc> {
  static final String TABLE = "vpc";
  private static final Logger LOG = LoggerFactory.getLogger(VpcMapper.class);
  private static final Set<String> GONE = Set.of("InvalidVpcID.NotFound");
  /** What CreateVpc gives a new VPC (AWS documents these defaults). */
  private static final boolean NEW_DNS_SUPPORT = true;
  private static final boolean NEW_DNS_HOSTNAMES = false;
  private static final boolean NEW_ADDRESS_USAGE_METRICS = false;

  private static final String SELECT = "SELECT v.id, v.vpc_id, v.cidr_block, v.state::text AS state, v.is_default,"
      + " v.enable_dns_hostnames, v.enable_dns_support, v.enable_network_address_usage_metrics, v.region,"
      + " t.tag_keys, t.tag_values FROM vpc v " + Tags.sqlRead("v") + " ORDER BY v.id";
  private static final String INSERT = "INSERT INTO vpc (vpc_id, cidr_block, state, is_default, enable_dns_hostnames,"
      + " enable_dns_support, enable_network_address_usage_metrics, tags, region) VALUES (?, ?, ?::vpc_state_enum, ?,"
      + " coalesce(?, false), coalesce(?, false), coalesce(?, false), " + Tags.SQL_WRITE + ", ?)";
  // An unknown attribute keeps the row's value.
  private static final String UPDATE = "UPDATE vpc SET vpc_id = ?, cidr_block = ?, state = ?::vpc_state_enum,"
      + " is_default = ?, enable_dns_hostnames = coalesce(?, enable_dns_hostnames),"
      + " enable_dns_support = coalesce(?, enable_dns_support),"
      + " enable_network_address_usage_metrics = coalesce(?, enable_network_address_usage_metrics),"
      + " tags = " + Tags.SQL_WRITE + " WHERE id = ?";

  @Override
  public String table() {
    return TABLE;
  }

  @Override
  public @Nullable String cloudKey(Vpc e) {
    return e.vpcId() == null ? null : e.region() + "/" + e.vpcId();
  }

  @Override
  public String describe(Vpc e) {
    return e.vpcId() != null ? e.vpcId() : "vpc " + e.cidrBlock();
  }

  @Override
  public Difference compare(Vpc db, Vpc cloud) {
    if (!db.cidrBlock().equals(cloud.cidrBlock())) {
      // The default VPC is never replaced: its row is put back as AWS has it.
      return ownedByCloud(cloud) ? Difference.CLOUD_FIELDS : Difference.REPLACE;
    }
    if (!db.tags().equals(cloud.tags()) || attributesDiffer(db, cloud)) {
      return Difference.UPDATE;
    }
    if (!Objects.equals(db.vpcId(), cloud.vpcId()) || !Objects.equals(db.state(), cloud.state())
        || db.isDefault() != cloud.isDefault()) {
      return Difference.CLOUD_FIELDS;
    }
    return Difference.NONE;
  }

  private static boolean attributesDiffer(Vpc db, Vpc cloud) {
    return differs(db.enableDnsHostnames(), cloud.enableDnsHostnames())
        || differs(db.enableDnsSupport(), cloud.enableDnsSupport())
        || differs(db.enableNetworkAddressUsageMetrics(), cloud.enableNetworkAddressUsageMetrics());
  }

  /** Only a known cloud value can differ (see the class comment). */
  private static boolean differs(@Nullable Boolean db, @Nullable Boolean cloud) {
    return db != null && cloud != null && !db.equals(cloud);
  }

  @Override
  public @Nullable RowClaim claim(Vpc cloud) {
    return cloud.claim();
  }

  /** AWS makes a VPC with its default security group (and its rules), which the same apply records. */
  @Override
  public boolean createMakesOthers() {
    return true;
  }

  @Override
  public boolean ownedByCloud(Vpc cloud) {
    return cloud.isDefault();
  }

  // ---- DB side ----

  @Override
  public List<Vpc> readDb(Connection c) throws SQLException {
    return Jdbc.query(c, SELECT, rs -> new Vpc(rs.getInt("id"), rs.getString("vpc_id"), rs.getString("cidr_block"),
        rs.getString("state"), rs.getBoolean("is_default"), rs.getBoolean("enable_dns_hostnames"),
        rs.getBoolean("enable_dns_support"), rs.getBoolean("enable_network_address_usage_metrics"), Tags.read(rs),
        rs.getString("region"), null));
  }

  @Override
  public @Nullable Integer insertDb(Connection c, Vpc cloud) throws SQLException {
    return Jdbc.insertReturningId(c, INSERT, writeArgs(c, cloud, cloud.region()));
  }

  @Override
  public void updateDb(Connection c, Vpc db, Vpc cloud) throws SQLException {
    Jdbc.update(c, UPDATE, writeArgs(c, cloud, requireNonNull(db.id(), "db row without id")));
  }

  /** The parameters of both writes: the cloud's fields, then {@code last} (the region, or the id of the row). */
  private static @Nullable Object[] writeArgs(Connection c, Vpc cloud, Object last) throws SQLException {
    return new @Nullable Object[] {cloud.vpcId(), cloud.cidrBlock(), cloud.state(), cloud.isDefault(),
        cloud.enableDnsHostnames(), cloud.enableDnsSupport(), cloud.enableNetworkAddressUsageMetrics(),
        Tags.keys(c, cloud.tags()), Tags.values(c, cloud.tags()), last};
  }

  // ---- cloud side ----

  @Override
  public List<Vpc> readCloud(CloudContext ctx, @Nullable String region) {
    String r = requireNonNull(region, "vpc is regional");
    Ec2Client ec2 = ctx.client(Ec2Client.class, r);
    return AwsErrors.call("DescribeVpcs", r, () -> ec2.describeVpcsPaginator(DescribeVpcsRequest.builder().build())
        .vpcs().stream().map(v -> fromAws(v, r, null, null, null)).toList());
  }

  private static Vpc fromAws(software.amazon.awssdk.services.ec2.model.Vpc v, String region,
      @Nullable Boolean dnsHostnames, @Nullable Boolean dnsSupport, @Nullable Boolean addressUsageMetrics) {
    return new Vpc(null, v.vpcId(), v.cidrBlock(), VpcSchema.state(v.stateAsString()),
        Boolean.TRUE.equals(v.isDefault()), dnsHostnames, dnsSupport, addressUsageMetrics, Tags.fromAws(v.tags()),
        region, RowTag.find(TABLE, v.tags()));
  }

  @Override
  public Vpc create(CloudContext ctx, Vpc desired) {
    String region = desired.region();
    Ec2Client ec2 = ctx.client(Ec2Client.class, region);
    CreateVpcRequest.Builder request = CreateVpcRequest.builder().cidrBlock(desired.cidrBlock())
        .tagSpecifications(RowTag.specs(ResourceType.VPC, ctx, TABLE, desired.id(), Tags.toAws(desired.tags())));
    software.amazon.awssdk.services.ec2.model.Vpc created =
        AwsErrors.call("CreateVpc", region, () -> ec2.createVpc(request.build()).vpc());
    String vpcId = created.vpcId();
    LOG.debug("created {} ({}) in {}", vpcId, desired.cidrBlock(), region);
    Attributes wanted = Attributes.of(desired, NEW_DNS_HOSTNAMES, NEW_DNS_SUPPORT, NEW_ADDRESS_USAGE_METRICS);
    wanted.apply(ec2, region, vpcId, new Attributes(NEW_DNS_HOSTNAMES, NEW_DNS_SUPPORT, NEW_ADDRESS_USAGE_METRICS));
    Vpc out = fromAws(created, region, wanted.dnsHostnames(), wanted.dnsSupport(), wanted.addressUsageMetrics());
    // Tags given at create are applied with it or not at all; the response may leave them out.
    return withTags(out, desired.tags(), RowTag.claim(ctx, desired.id()));
  }

  @Override
  public Vpc update(CloudContext ctx, Vpc desired, Vpc actual) {
    String region = actual.region();
    String vpcId = requireNonNull(actual.vpcId(), "actual VPC without id");
    Ec2Client ec2 = ctx.client(Ec2Client.class, region);
    // Both tag maps leave the engine's tag out (see the class comment): it is neither deleted nor changed here.
    List<Tag> removed = actual.tags().keySet().stream().filter(k -> !desired.tags().containsKey(k))
        .map(k -> Tag.builder().key(k).build()).toList();
    if (!removed.isEmpty()) {
      AwsErrors.run("DeleteTags", region, () -> ec2.deleteTags(b -> b.resources(vpcId).tags(removed)));
    }
    Map<String, String> changed = new TreeMap<>(desired.tags());
    changed.entrySet().removeIf(e -> e.getValue().equals(actual.tags().get(e.getKey())));
    if (!changed.isEmpty()) {
      AwsErrors.run("CreateTags", region, () -> ec2.createTags(b -> b.resources(vpcId).tags(Tags.toAws(changed))));
    }
    // Only attributes whose current value is known are pushed (see the class comment).
    Attributes current = new Attributes(actual.enableDnsHostnames(), actual.enableDnsSupport(),
        actual.enableNetworkAddressUsageMetrics());
    Attributes wanted = new Attributes(
        known(desired.enableDnsHostnames(), current.dnsHostnames()),
        known(desired.enableDnsSupport(), current.dnsSupport()),
        known(desired.enableNetworkAddressUsageMetrics(), current.addressUsageMetrics()));
    wanted.apply(ec2, region, vpcId, current);
    return withTags(new Vpc(actual.id(), vpcId, actual.cidrBlock(), actual.state(), actual.isDefault(),
        wanted.dnsHostnames(), wanted.dnsSupport(), wanted.addressUsageMetrics(), actual.tags(), region,
        actual.claim()), desired.tags(), actual.claim());
  }

  private static @Nullable Boolean known(@Nullable Boolean desired, @Nullable Boolean current) {
    return current == null ? null : desired;
  }

  private static Vpc withTags(Vpc v, Map<String, String> tags, @Nullable RowClaim claim) {
    return new Vpc(v.id(), v.vpcId(), v.cidrBlock(), v.state(), v.isDefault(), v.enableDnsHostnames(),
        v.enableDnsSupport(), v.enableNetworkAddressUsageMetrics(), tags, v.region(), claim);
  }

  @Override
  public void delete(CloudContext ctx, Vpc actual) {
    String region = actual.region();
    String vpcId = requireNonNull(actual.vpcId(), "actual VPC without id");
    Ec2Client ec2 = ctx.client(Ec2Client.class, region);
    AwsErrors.delete("DeleteVpc", region, GONE, () -> ec2.deleteVpc(b -> b.vpcId(vpcId)));
    LOG.debug("deleted {} in {}", vpcId, region);
  }

  /** The three VPC attributes; null is unknown (as the wanted value: leave it alone). */
  private record Attributes(
      @Nullable Boolean dnsHostnames, @Nullable Boolean dnsSupport, @Nullable Boolean addressUsageMetrics) {
    static Attributes of(Vpc v, boolean hostnames, boolean support, boolean metrics) {
      return new Attributes(
          v.enableDnsHostnames() == null ? hostnames : v.enableDnsHostnames(),
          v.enableDnsSupport() == null ? support : v.enableDnsSupport(),
          v.enableNetworkAddressUsageMetrics() == null ? metrics : v.enableNetworkAddressUsageMetrics());
    }

    /**
     * Sets, with one ModifyVpcAttribute each, the attributes that are wanted and differ from {@code current}. DNS
     * hostnames need DNS support: when support is being turned on it goes first, otherwise hostnames go first.
     */
    void apply(Ec2Client ec2, String region, String vpcId, Attributes current) {
      boolean supportFirst = Boolean.TRUE.equals(dnsSupport);
      if (supportFirst) {
        set(ec2, region, vpcId, dnsSupport, current.dnsSupport, b -> b.enableDnsSupport(bool(dnsSupport)));
      }
      set(ec2, region, vpcId, dnsHostnames, current.dnsHostnames, b -> b.enableDnsHostnames(bool(dnsHostnames)));
      if (!supportFirst) {
        set(ec2, region, vpcId, dnsSupport, current.dnsSupport, b -> b.enableDnsSupport(bool(dnsSupport)));
      }
      set(ec2, region, vpcId, addressUsageMetrics, current.addressUsageMetrics,
          b -> b.enableNetworkAddressUsageMetrics(bool(addressUsageMetrics)));
    }

    private static void set(Ec2Client ec2, String region, String vpcId, @Nullable Boolean wanted,
        @Nullable Boolean current, Consumer<ModifyVpcAttributeRequest.Builder> attribute) {
      if (wanted == null || wanted.equals(current)) {
        return;
      }
      AwsErrors.run("ModifyVpcAttribute", region, () -> ec2.modifyVpcAttribute(b -> attribute.accept(b.vpcId(vpcId))));
    }

    private static AttributeBooleanValue bool(@Nullable Boolean value) {
      return AttributeBooleanValue.builder().value(value).build();
    }
  }
}
