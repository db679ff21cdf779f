package dev.iasql.aws.securitygroup;

import dev.iasql.aws.RegionalMapper;
import org.jspecify.annotations.Nullable;

/**
 * A {@code security_group_rule} row or an AWS security group rule, as written: {@link RuleContent} is its normalised
 * content, which is what identifies it. Groups are held by AWS id.
 *
 * @param id the row id; null for values from AWS
 * @param ruleId AWS's {@code sgr-…} id; null for a row not created (or not matched) yet
 * @param groupId the AWS id of the rule's group; null while the group has none
 * @param sourceGroupId the AWS id of the group the rule lets traffic from (or to); null when it names none
 * @param awaiting what a DB row waits for before it can be created (its group or its source group), or null
 */
record SecurityGroupRule(
    @Nullable Integer id,
    @Nullable String ruleId,
    @Nullable String groupId,
    boolean isEgress,
    @Nullable String ipProtocol,
    @Nullable Integer fromPort,
    @Nullable Integer toPort,
    @Nullable String cidrIpv4,
    @Nullable String cidrIpv6,
    @Nullable String prefixListId,
    @Nullable String description,
    String region,
    @Nullable String sourceGroupId,
    @Nullable String awaiting) implements RegionalMapper.Row {}
