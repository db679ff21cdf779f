package dev.iasql.aws.account;

import static java.util.Objects.requireNonNull;

import dev.iasql.aws.AwsClients;
import dev.iasql.aws.AwsContext;
import dev.iasql.aws.AwsKeys;
import dev.iasql.engine.spi.CloudAccount;
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.CloudException;
import dev.iasql.engine.spi.Mapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens an {@link AwsContext} from a database's {@code aws_credentials} and {@code aws_regions}. */
final class AwsCloudAccount implements CloudAccount {
  private static final Logger LOG = LoggerFactory.getLogger(AwsCloudAccount.class);
  static final String NO_CREDENTIALS = "NoCredentials";

  /** Resolved per open, so that merely asking a module for its account builds no HTTP transport. */
  private final Supplier<AwsClients> clients;
  private final RegionMapper regions = new RegionMapper();

  AwsCloudAccount(Supplier<AwsClients> clients) {
    this.clients = requireNonNull(clients, "clients is null");
  }

  @Override
  public CloudContext open(Connection c, String database) throws SQLException {
    AwsContext ctx = AwsContext.of(clients.get(), database, keys(c), enabledRegions(c), defaultRegion(c));
    LOG.debug("opened {}", ctx);
    return ctx;
  }

  @Override
  public List<Mapper<?>> accountMappers() {
    return List.of(regions);
  }

  /** The first row inserted: later rows are kept but unused, as in IaSQL. */
  private static AwsKeys keys(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT access_key_id, secret_access_key, session_token"
            + " FROM public.aws_credentials ORDER BY id LIMIT 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new CloudException(CloudException.Kind.CREDENTIALS, NO_CREDENTIALS,
            "no AWS credentials: INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (...)", null);
      }
      return new AwsKeys(rs.getString(1), rs.getString(2), rs.getString(3));
    }
  }

  /** The enabled regions; before the first sync loads the list, just the default region. */
  private static List<String> enabledRegions(Connection c) throws SQLException {
    List<String> enabled = new ArrayList<>();
    boolean anyRow = false;
    try (PreparedStatement ps = c.prepareStatement("SELECT region, is_enabled FROM public.aws_regions ORDER BY region");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        anyRow = true;
        if (rs.getBoolean(2)) {
          enabled.add(rs.getString(1));
        }
      }
    }
    return anyRow ? enabled : List.of(defaultRegion(c));
  }

  private static String defaultRegion(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT public.default_aws_region()");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }
}
