package dev.iasql.aws.vpc;

import dev.iasql.aws.AwsModule;
import dev.iasql.aws.account.AwsAccountModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.ModuleName;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@code aws_vpc}: VPCs ({@code vpc}), their subnets ({@code subnet}) and the availability zones of each region
 * ({@code availability_zone}, read-only: AWS decides). Tables, columns and constraints are IaSQL v0.0.20's, so its SQL
 * runs unchanged. Each region's default VPC and default subnets belong to AWS: apply never deletes them.
 */
public final class AwsVpcModule implements AwsModule {
  public static final ModuleName NAME = ModuleName.of("aws_vpc");

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
    return List.of(AwsAccountModule.NAME);
  }

  @Override
  public List<String> migrations() {
    return List.of(VpcSchema.TABLES);
  }

  @Override
  public String beforeUninstallSql() {
    return VpcSchema.DROP_TYPES;
  }

  @Override
  public Set<String> readOnlyTables() {
    return Set.of(AvailabilityZoneMapper.TABLE);
  }

  /** Zones first, then VPCs, then subnets: the order of their references. */
  @Override
  public List<Mapper<?>> mappers() {
    return List.of(new AvailabilityZoneMapper(), new VpcMapper(), new SubnetMapper());
  }

  /** Its mappers read and write through EC2. */
  @Override
  public List<Class<? extends SdkClient>> awsClients() {
    return List.of(Ec2Client.class);
  }
}
