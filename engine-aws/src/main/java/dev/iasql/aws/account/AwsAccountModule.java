package dev.iasql.aws.account;

import dev.iasql.aws.AwsModule;
import dev.iasql.aws.releases.FrozenDdl;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.CloudAccount;
import dev.iasql.engine.spi.ModuleName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@code aws_account}: the credentials a database uses ({@code aws_credentials}; the first row inserted is the one
 * used) and the regions it works in ({@code aws_regions}, loaded from the cloud, with the user's enabled and default
 * flags). {@code default_aws_region()} is the column default of every regional table of the other modules.
 */
public final class AwsAccountModule implements AwsModule {
  public static final ModuleName NAME = ModuleName.of("aws_account");

  private final CloudAccount account = new AwsCloudAccount();

  @Override
  public ModuleName name() {
    return NAME;
  }

  @Override
  public String version() {
    return ReleaseCatalog.V0_0_22;
  }

  /**
   * Written by hand, not on the kit (its tables hold no cloud resource), so its DDL is its release's file: a change
   * goes into the next release's file, with an upgrade step.
   */
  @Override
  public List<String> migrations() {
    return FrozenDdl.of(version(), NAME);
  }

  /** The account every AWS module's mappers use; its clients come from the JVM's shared cache. */
  @Override
  public Optional<CloudAccount> account() {
    return Optional.of(account);
  }

  /** The record of listed regions is not a module table (the tenant must not write it): dropped by hand. */
  @Override
  public String beforeUninstallSql() {
    return "DROP TABLE IF EXISTS iasql_engine.aws_regions_listed";
  }

  @Override
  public Map<String, Set<String>> secretColumns() {
    return Map.of("aws_credentials", Set.of("secret_access_key", "session_token"));
  }

  @Override
  public Set<String> keptByDeleteAll() {
    return Set.of("aws_credentials", "aws_regions");
  }

  /** Its mappers read and write through EC2. */
  @Override
  public List<Class<? extends SdkClient>> awsClients() {
    return List.of(Ec2Client.class);
  }
}
