package dev.iasql.aws.singleregion;

import dev.iasql.aws.AwsModule;
import dev.iasql.aws.account.AwsAccountModule;
import dev.iasql.aws.releases.FrozenDdl;
import dev.iasql.aws.securitygroup.AwsSecurityGroupModule;
import dev.iasql.aws.vpc.AwsVpcModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.ModuleName;
import java.util.List;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@code aws_security_group} at release 0.0.18: 0.0.20's tables without foreign keys to {@code aws_regions}, and with
 * IaSQL's original rule CHECK, which forbids ports on a rule whose source is another group.
 */
public final class SingleRegionSecurityGroupModule implements AwsModule {
  private final AwsSecurityGroupModule latest = new AwsSecurityGroupModule();

  @Override
  public ModuleName name() {
    return AwsSecurityGroupModule.NAME;
  }

  @Override
  public String version() {
    return ReleaseCatalog.V0_0_18;
  }

  @Override
  public List<ModuleName> dependencies() {
    return List.of(AwsAccountModule.NAME, AwsVpcModule.NAME);
  }

  /** Frozen since 0.0.18 shipped: {@link FrozenDdl}. */
  @Override
  public List<String> migrations() {
    return FrozenDdl.of(version(), name());
  }

  /** The same mappers as 0.0.20: the columns they read and write did not change. */
  @Override
  public List<Mapper<?>> mappers() {
    return latest.mappers();
  }

  /** Its mappers read and write through EC2. */
  @Override
  public List<Class<? extends SdkClient>> awsClients() {
    return List.of(Ec2Client.class);
  }
}
