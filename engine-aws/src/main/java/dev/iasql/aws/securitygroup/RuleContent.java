package dev.iasql.aws.securitygroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.PrefixListId;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * What a security group rule allows, normalised so that a row written by hand and the rule AWS reports compare equal:
 * protocol {@code -1} for all (also for a NULL protocol), protocol names in lower case (and 6, 17, 1, 58 by name),
 * port {@code -1} for "all ports" (NULL too, and always for protocols without ports), CIDRs as PostgreSQL and AWS
 * print them. AWS has no id-less handle on a rule, so this content is the rule's identity.
 */
record RuleContent(
    String protocol,
    int fromPort,
    int toPort,
    @Nullable String cidrIpv4,
    @Nullable String cidrIpv6,
    @Nullable String prefixListId,
    @Nullable String sourceGroupId) {
  static final String ALL_PROTOCOLS = "-1";
  private static final Map<String, String> PROTOCOL_NUMBERS = Map.of("6", "tcp", "17", "udp", "1", "icmp", "58",
      "icmpv6");
  /** Protocols whose rules have ports (for ICMP: type and code). Others allow everything and report -1. */
  private static final Set<String> WITH_PORTS = Set.of("tcp", "udp", "icmp", "icmpv6");

  static RuleContent of(SecurityGroupRule r) {
    String p = blankToNull(r.ipProtocol());
    String protocol = p == null ? ALL_PROTOCOLS : p.toLowerCase(Locale.ROOT);
    protocol = PROTOCOL_NUMBERS.getOrDefault(protocol, protocol);
    boolean ported = WITH_PORTS.contains(protocol);
    String source = blankToNull(r.sourceGroupId());
    return new RuleContent(protocol,
        ported && r.fromPort() != null ? r.fromPort() : -1,
        ported && r.toPort() != null ? r.toPort() : -1,
        // IaSQL's CHECK lets a rule with a source group also say 0.0.0.0/0: AWS has no such thing, so it is ignored.
        source == null ? cidr(r.cidrIpv4()) : null,
        cidr(r.cidrIpv6()),
        blankToNull(r.prefixListId()),
        source);
  }

  /** The rule's identity: region/group/direction/protocol/from/to/cidr4/cidr6/prefix list/source group. */
  String key(String region, String groupId, boolean egress) {
    return Stream.of(region, groupId, egress ? "egress" : "ingress", protocol, Integer.toString(fromPort),
        Integer.toString(toPort), cidrIpv4, cidrIpv6, prefixListId, sourceGroupId)
        .map(s -> s == null ? "" : s).collect(Collectors.joining("/"));
  }

  /**
   * The one permission AWS makes exactly this rule from. A rule has one target (a CIDR, a prefix list or a group):
   * one permission with several would make several rules, which no single row could follow.
   */
  IpPermission permission(@Nullable String description) {
    List<String> targets = new ArrayList<>();
    Stream.of(cidrIpv4, cidrIpv6, prefixListId, sourceGroupId).filter(Objects::nonNull).forEach(targets::add);
    if (targets.size() != 1) {
      throw new IllegalArgumentException("a security group rule needs exactly one of cidr_ipv4, cidr_ipv6,"
          + " prefix_list_id and source_security_group; this one has " + (targets.isEmpty() ? "none" : targets));
    }
    IpPermission.Builder b = IpPermission.builder().ipProtocol(protocol);
    if (WITH_PORTS.contains(protocol)) {
      b.fromPort(fromPort).toPort(toPort);
    }
    String d = blankToNull(description);
    if (cidrIpv4 != null) {
      b.ipRanges(IpRange.builder().cidrIp(cidrIpv4).description(d).build());
    } else if (cidrIpv6 != null) {
      b.ipv6Ranges(Ipv6Range.builder().cidrIpv6(cidrIpv6).description(d).build());
    } else if (prefixListId != null) {
      b.prefixListIds(PrefixListId.builder().prefixListId(prefixListId).description(d).build());
    } else {
      b.userIdGroupPairs(UserIdGroupPair.builder().groupId(sourceGroupId).description(d).build());
    }
    return b.build();
  }

  static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static @Nullable String cidr(@Nullable String s) {
    String c = blankToNull(s);
    return c == null ? null : c.toLowerCase(Locale.ROOT);
  }
}
