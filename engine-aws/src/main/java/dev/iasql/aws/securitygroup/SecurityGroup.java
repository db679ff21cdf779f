package dev.iasql.aws.securitygroup;

import dev.iasql.aws.RegionalMapper;
import dev.iasql.engine.spi.RowClaim;
import org.jspecify.annotations.Nullable;

/**
 * A {@code security_group} row or an AWS security group. Its VPC is held by AWS id: for a row whose {@code vpc_id} is
 * NULL, the region's default VPC (the one AWS puts the group in).
 *
 * @param id the row id; null for values from AWS
 * @param ownerId the owning account; null when not known yet
 * @param groupId AWS's {@code sg-…} id; null for a row not created yet
 * @param vpcId the VPC's AWS id; null when the row names none and the DB has no default VPC for its region
 * @param keepsDefaultEgress whether the DB holds, for this group, the egress rule AWS gives every new group (all
 *     traffic to 0.0.0.0/0): create leaves it in place, otherwise it revokes it. Always false for values from AWS.
 * @param awaiting what a DB row waits for before it can be created (its VPC), or null when it can be
 * @param claim the row the group was created for, from its {@code iasql:row} tag (values from AWS); never compared
 */
record SecurityGroup(
    @Nullable Integer id,
    String description,
    String groupName,
    @Nullable String ownerId,
    @Nullable String groupId,
    String region,
    @Nullable String vpcId,
    boolean keepsDefaultEgress,
    @Nullable String awaiting,
    @Nullable RowClaim claim) implements RegionalMapper.Row {
  /** The name of the group AWS makes in every VPC, which cannot be deleted or renamed. */
  static final String DEFAULT_NAME = "default";
}
