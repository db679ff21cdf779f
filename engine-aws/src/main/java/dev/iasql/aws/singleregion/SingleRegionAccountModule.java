package dev.iasql.aws.singleregion;

import dev.iasql.aws.AwsClients;
import dev.iasql.aws.AwsContext;
import dev.iasql.aws.AwsEngineExtension;
import dev.iasql.aws.AwsErrorCode;
import dev.iasql.aws.AwsKeys;
import dev.iasql.aws.AwsModule;
import dev.iasql.aws.account.AwsAccountModule;
import dev.iasql.aws.releases.FrozenDdl;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.CloudAccount;
import dev.iasql.engine.spi.CloudCodes;
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.CloudException;
import dev.iasql.engine.spi.Extensions;
import dev.iasql.engine.spi.ModuleName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** {@code aws_account} at release 0.0.18: keys and the one region in {@code aws_account}; the first row is used. */
public final class SingleRegionAccountModule implements AwsModule {
  @Override
  public ModuleName name() {
    return AwsAccountModule.NAME;
  }

  @Override
  public String version() {
    return ReleaseCatalog.V0_0_18;
  }

  /** Frozen since 0.0.18 shipped: {@link FrozenDdl}. */
  @Override
  public List<String> migrations() {
    return FrozenDdl.of(version(), name());
  }

  @Override
  public Map<String, Set<String>> secretColumns() {
    return Map.of("aws_account", Set.of("secret_access_key"));
  }

  @Override
  public Set<String> keptByDeleteAll() {
    return Set.of("aws_account");
  }

  @Override
  public Optional<CloudAccount> account() {
    return Optional.of(new CloudAccount() {
      @Override
      public CloudContext open(Connection c, String database, Extensions extensions) throws SQLException {
        return SingleRegionAccountModule.open(c, database, AwsEngineExtension.clientsOf(extensions));
      }

      @Override
      public CloudCodes codes() {
        return AwsErrorCode.CLOUD;
      }

      @Override
      public String credentialsHint() {
        return "the first row of aws_account is the one used: INSERT INTO aws_account (access_key_id,"
            + " secret_access_key, region) VALUES ('…', '…', 'us-east-1')";
      }

      @Override
      public String enableRegionHint(String region) {
        // One region per database at this release; several need the latest.
        return "UPDATE aws_account SET region = '" + region.replace("'", "''") + "', or SELECT iasql_upgrade()"
            + " to work in several regions";
      }
    });
  }

  private static CloudContext open(Connection c, String database, AwsClients clients) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
            "SELECT access_key_id, secret_access_key, region FROM public.aws_account ORDER BY id LIMIT 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new CloudException(CloudException.Kind.CREDENTIALS, CloudException.NO_CREDENTIALS,
            "no AWS account: INSERT INTO aws_account (access_key_id, secret_access_key, region) VALUES (...)", null);
      }
      String region = rs.getString(3);
      return AwsContext.of(clients, database, new AwsKeys(rs.getString(1), rs.getString(2), null),
          List.of(region), region);
    }
  }

  /** Its mappers read and write through EC2. */
  @Override
  public List<Class<? extends SdkClient>> awsClients() {
    return List.of(Ec2Client.class);
  }
}
