package dev.iasql.aws.vpc;

import dev.iasql.aws.RegionalMapper;
import dev.iasql.engine.spi.RowClaim;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@code vpc} row or an AWS VPC.
 *
 * <p>The three attributes are {@code null} when unknown: DescribeVpcs does not return them (see {@link VpcMapper}), so
 * values read from AWS never know them, while DB rows and values returned by create and update always do.
 *
 * @param id the row id; null for values read from AWS
 * @param vpcId AWS's {@code vpc-…} id; null for a row not created yet
 * @param state {@code available} or {@code pending}; null when unknown
 * @param tags the user's tags, never the engine's {@code iasql:row} (see {@link dev.iasql.aws.RowTag})
 * @param claim the row the VPC was created for, from its {@code iasql:row} tag (values from AWS); never compared
 */
record Vpc(
    @Nullable Integer id,
    @Nullable String vpcId,
    String cidrBlock,
    @Nullable String state,
    boolean isDefault,
    @Nullable Boolean enableDnsHostnames,
    @Nullable Boolean enableDnsSupport,
    @Nullable Boolean enableNetworkAddressUsageMetrics,
    Map<String, String> tags,
    String region,
    @Nullable RowClaim claim) implements RegionalMapper.Row {
  Vpc {
    tags = Collections.unmodifiableMap(new TreeMap<>(tags));
  }
}
