package dev.iasql.aws.securitygroup;

import dev.iasql.aws.AwsModule;
import dev.iasql.aws.account.AwsAccountModule;
import dev.iasql.aws.vpc.AwsVpcModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.ModuleName;
import java.util.List;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@code aws_security_group}: security groups ({@code security_group}) and their rules ({@code security_group_rule}),
 * with IaSQL v0.0.20's tables and constraints (one CHECK relaxed: {@link SecurityGroupSchema}). A group without a VPC
 * goes into its region's default VPC. Each VPC's {@code default} group belongs to AWS (its rules do not). A new group
 * starts with no rules unless the DB holds AWS's default egress rule (all traffic to 0.0.0.0/0) for it.
 */
public final class AwsSecurityGroupModule implements AwsModule {
  public static final ModuleName NAME = ModuleName.of("aws_security_group");

  @Override
  public ModuleName name() {
    return NAME;
  }

  @Override
  public String version() {
    return ReleaseCatalog.V0_0_22;
  }

  @Override
  public List<ModuleName> dependencies() {
    return List.of(AwsAccountModule.NAME, AwsVpcModule.NAME);
  }

  @Override
  public List<String> migrations() {
    return List.of(SecurityGroupSchema.TABLES);
  }

  /** Groups before their rules. */
  @Override
  public List<Mapper<?>> mappers() {
    return List.of(new SecurityGroupMapper(), new SecurityGroupRuleMapper());
  }

  /** Its mappers read and write through EC2. */
  @Override
  public List<Class<? extends SdkClient>> awsClients() {
    return List.of(Ec2Client.class);
  }
}
