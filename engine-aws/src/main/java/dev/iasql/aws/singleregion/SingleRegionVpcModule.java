package dev.iasql.aws.singleregion;

import dev.iasql.aws.AwsModule;
import dev.iasql.aws.account.AwsAccountModule;
import dev.iasql.aws.releases.FrozenDdl;
import dev.iasql.aws.vpc.AwsVpcModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.ModuleName;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** {@code aws_vpc} at release 0.0.18: the tables of 0.0.20 without foreign keys to {@code aws_regions}. */
public final class SingleRegionVpcModule implements AwsModule {
  private final AwsVpcModule latest = new AwsVpcModule();

  @Override
  public ModuleName name() {
    return AwsVpcModule.NAME;
  }

  @Override
  public String version() {
    return ReleaseCatalog.V0_0_18;
  }

  @Override
  public List<ModuleName> dependencies() {
    return List.of(AwsAccountModule.NAME);
  }

  /** Frozen since 0.0.18 shipped: {@link FrozenDdl}. */
  @Override
  public List<String> migrations() {
    return FrozenDdl.of(version(), name());
  }

  @Override
  public String beforeUninstallSql() {
    return latest.beforeUninstallSql();
  }

  @Override
  public Set<String> readOnlyTables() {
    return latest.readOnlyTables();
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
