package dev.iasql.aws.account;

import dev.iasql.aws.AwsContext;
import dev.iasql.aws.AwsEngineExtension;
import dev.iasql.aws.AwsErrorCode;
import dev.iasql.aws.AwsKeys;
import dev.iasql.aws.Jdbc;
import dev.iasql.engine.spi.CloudAccount;
import dev.iasql.engine.spi.CloudCodes;
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.CloudException;
import dev.iasql.engine.spi.Extensions;
import dev.iasql.engine.spi.Mapper;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens an {@link AwsContext} from a database's {@code aws_credentials} and {@code aws_regions}. */
final class AwsCloudAccount implements CloudAccount {
  private static final Logger LOG = LoggerFactory.getLogger(AwsCloudAccount.class);

  private final RegionMapper regions = new RegionMapper();

  /** The clients are the engine's that runs the operation: two engines never share them. */
  @Override
  public CloudContext open(Connection c, String database, Extensions extensions) throws SQLException {
    AwsContext ctx = AwsContext.of(AwsEngineExtension.clientsOf(extensions), database, keys(c), enabledRegions(c),
        defaultRegion(c));
    LOG.debug("opened {}", ctx);
    return ctx;
  }

  @Override
  public CloudCodes codes() {
    return AwsErrorCode.CLOUD;
  }

  @Override
  public List<Mapper<?>> accountMappers() {
    return List.of(regions);
  }

  @Override
  public String credentialsHint() {
    return "the first row of aws_credentials is the one used: INSERT INTO aws_credentials (access_key_id,"
        + " secret_access_key) VALUES ('…', '…')";
  }

  @Override
  public String enableRegionHint(String region) {
    return "UPDATE aws_regions SET is_enabled = true WHERE region = '" + region.replace("'", "''") + "'";
  }

  /** The first row inserted: later rows are kept but unused, as in IaSQL. */
  private static AwsKeys keys(Connection c) throws SQLException {
    List<AwsKeys> first = Jdbc.query(c, "SELECT access_key_id, secret_access_key, session_token"
        + " FROM public.aws_credentials ORDER BY id LIMIT 1", rs -> new AwsKeys(rs.getString(1), rs.getString(2),
        rs.getString(3)));
    if (first.isEmpty()) {
      throw new CloudException(CloudException.Kind.CREDENTIALS, CloudException.NO_CREDENTIALS,
          "no AWS credentials: INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (...)", null);
    }
    return first.get(0);
  }

  /** The enabled regions, as {@code aws_regions} lists them; before the first sync loads it, the default region. */
  private List<String> enabledRegions(Connection c) throws SQLException {
    List<AwsRegion> rows = regions.readDb(c);
    return rows.isEmpty() ? List.of(defaultRegion(c))
        : rows.stream().filter(AwsRegion::isEnabled).map(AwsRegion::region).toList();
  }

  private static String defaultRegion(Connection c) throws SQLException {
    return Jdbc.query(c, "SELECT public.default_aws_region()", rs -> rs.getString(1)).get(0);
  }
}
