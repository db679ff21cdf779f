package dev.iasql.aws.securitygroup;

import dev.iasql.aws.AwsResources;
import dev.iasql.aws.RowTag;
import dev.iasql.engine.kit.Column;
import dev.iasql.engine.kit.CrashSafety;
import dev.iasql.engine.kit.Reference;
import dev.iasql.engine.kit.Resources;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.kit.TableSpec;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateSecurityGroupResponse;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * {@code security_group}, as IaSQL v0.0.20 has it. EC2 cannot rename a group or change its description or VPC, so any
 * of those replaces it; a group without a VPC goes into the region's default VPC. Each VPC's group named
 * {@code default} belongs to AWS: never deleted or replaced, and a row that differs from it is put back.
 */
final class SecurityGroups extends AwsResources<Ec2Client> implements Resources.CloudOwned {
  static final String TABLE = "security_group";
  static final String GROUP_ID = "group_id";
  private static final String NAME = "group_name";

  static final TableSpec SPEC = TableSpec.regional(TABLE)
      .column(Column.text("description").notNull().replacedOnChange())
      .column(Column.text(NAME).notNull().replacedOnChange())
      .column(Column.text("owner_id").cloudAssigned())
      .column(Column.text(GROUP_ID).cloudAssigned())
      .reference(Reference.to("vpc_id", "vpc", "vpc_id").named("FK_342e5da27cd7a3ab1712cdecece").cloudPicksDefault())
      .cloudId(GROUP_ID, false)
      .describedBy(NAME)
      .primaryKey("PK_08670ec0c305866dbfbfe004cb8")
      .unique("UQ_groupNameByVpc", NAME, "vpc_id", TableSpec.REGION)
      .regionForeignKey("FK_433340ca24146a956ba6eac946e")
      .survivesCrashBy(CrashSafety.rowTag())
      .build();

  @Override
  public boolean ownedByCloud(Row cloud) {
    return "default".equals(cloud.text(NAME));
  }

  @Override
  protected List<Row> list(Aws<Ec2Client> ec2) {
    return ec2.call("DescribeSecurityGroups", c -> c.describeSecurityGroupsPaginator(b -> { }).securityGroups()
        .stream().map(g -> row(ec2, g)).toList());
  }

  private static Row row(Aws<?> ec2, SecurityGroup g) {
    return ec2.row().with("description", g.description()).with(NAME, g.groupName())
        .with("owner_id", g.ownerId()).with(GROUP_ID, g.groupId()).with("vpc_id", g.vpcId())
        .claimedBy(RowTag.find(TABLE, g.tags()));
  }

  /**
   * Creates the group tagged with its row ({@link RowTag}), and revokes the egress rule AWS gives every new group (all
   * traffic to anywhere): a group has the rules its rows say, so the preview's rules to create are what apply makes.
   */
  @Override
  protected Row create(Aws<Ec2Client> ec2, Row desired) {
    // Named, so that the row records it: without a VPC, AWS puts the group in the region's default one.
    String vpc = desired.text("vpc_id") != null ? desired.text("vpc_id") : ec2.call("DescribeVpcs",
        c -> c.describeVpcs(b -> b.filters(f -> f.name("is-default").values("true")))).vpcs().stream()
            .map(v -> v.vpcId()).findFirst().orElse(null);
    CreateSecurityGroupResponse created = ec2.call("CreateSecurityGroup", c -> c.createSecurityGroup(
        b -> b.groupName(desired.text(NAME)).description(desired.text("description")).vpcId(vpc)
            .tagSpecifications(RowTag.specs(ResourceType.SECURITY_GROUP, ec2.ctx(), TABLE, desired.id(), List.of()))));
    ec2.delete("RevokeSecurityGroupEgress", Set.of("InvalidPermission.NotFound"),
        c -> c.revokeSecurityGroupEgress(b -> b.groupId(created.groupId()).ipPermissions(p -> p.ipProtocol(
            SecurityGroupRules.ALL).ipRanges(r -> r.cidrIp("0.0.0.0/0")))));
    // The account is in the ARN (arn:aws:ec2:region:account:security-group/sg-…); an unknown owner is no difference.
    String[] arn = created.securityGroupArn() == null ? new String[0] : created.securityGroupArn().split(":", 6);
    return row(ec2, SecurityGroup.builder().description(desired.text("description")).groupName(desired.text(NAME))
        .ownerId(arn.length == 6 && !arn[4].isEmpty() ? arn[4] : null).groupId(created.groupId())
        .vpcId(vpc).build()).claimedBy(RowTag.claim(ec2.ctx(), desired.id()));
  }

  /** Still referenced by another group's rule or used by a network interface: DependencyViolation reaches the user. */
  @Override
  protected void delete(Aws<Ec2Client> ec2, Row actual) {
    ec2.delete("DeleteSecurityGroup", Set.of("InvalidGroup.NotFound"),
        c -> c.deleteSecurityGroup(b -> b.groupId(actual.text(GROUP_ID))));
  }
}
