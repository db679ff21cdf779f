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
    return ReleaseCatalog.V0_0_20;
  }

  @Override
  public List<ModuleName> dependencies() {
    return List.of(AwsAccountModule.NAME);
  }

  @Override
  public List<String> migrations() {
    return List.of(VpcSchema.TABLES);
  }

  /**
   * From 0.0.18, which had no {@code aws_regions}: every region a row names joins the list (the account module's
   * upgrade already put the old default there), then the foreign keys 0.0.18 could not have are added.
   */
  @Override
  public List<String> upgradeFrom(String release) {
    if (!ReleaseCatalog.V0_0_18.equals(release)) {
      throw new IllegalArgumentException("aws_vpc cannot be upgraded from release " + release);
    }
    return List.of("""
        INSERT INTO aws_regions (region, is_enabled)
          SELECT region, false FROM vpc UNION SELECT region, false FROM subnet
          UNION SELECT region, false FROM availability_zone
          ON CONFLICT (region) DO NOTHING;
        ALTER TABLE vpc ADD CONSTRAINT "FK_4e3193d811417bcd61e4f305e74" FOREIGN KEY (region)
          REFERENCES aws_regions (region) ON DELETE NO ACTION ON UPDATE NO ACTION;
        ALTER TABLE availability_zone ADD CONSTRAINT "FK_9557e4873661a90723a39e5b9c2" FOREIGN KEY (region)
          REFERENCES aws_regions (region) ON DELETE NO ACTION ON UPDATE NO ACTION;
        ALTER TABLE subnet ADD CONSTRAINT "FK_01b828964edce6b867e4e554b97" FOREIGN KEY (region)
          REFERENCES aws_regions (region) ON DELETE NO ACTION ON UPDATE NO ACTION;
        """);
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
