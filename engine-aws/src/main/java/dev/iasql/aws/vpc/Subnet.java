package dev.iasql.aws.vpc;

import dev.iasql.aws.RegionalMapper;
import dev.iasql.engine.spi.RowClaim;
import org.jspecify.annotations.Nullable;

/**
 * A {@code subnet} row or an AWS subnet. Its VPC is held by AWS id ({@code vpc-…}), whatever the row's {@code vpc_id}
 * integer is.
 *
 * @param id the row id; null for values read from AWS
 * @param subnetId AWS's {@code subnet-…} id; null for a row not created yet
 * @param vpcId the VPC's AWS id; null while the row's VPC has none yet
 * @param defaultForAz whether AWS made it as a default subnet (known only for values read from AWS)
 * @param awaiting what a DB row waits for before it can be created (its VPC), or null when it can be
 * @param claim the row the subnet was created for, from its {@code iasql:row} tag (values from AWS); never compared
 */
record Subnet(
    @Nullable Integer id,
    @Nullable String subnetId,
    @Nullable String state,
    @Nullable Integer availableIpAddressCount,
    @Nullable String cidrBlock,
    @Nullable String ownerId,
    @Nullable String subnetArn,
    String availabilityZone,
    @Nullable String vpcId,
    String region,
    boolean defaultForAz,
    @Nullable String awaiting,
    @Nullable RowClaim claim) implements RegionalMapper.Row {}
