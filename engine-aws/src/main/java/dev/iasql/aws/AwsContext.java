package dev.iasql.aws;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.spi.CloudContext;
import java.util.List;

/**
 * What one operation on one database may use of AWS: that database's keys, its enabled regions and its default region,
 * read once when the operation starts. Immutable; clients come from an {@link AwsClients} cache keyed by this
 * database, so two databases never share one. {@link #toString()} never shows the secret.
 */
public final class AwsContext implements CloudContext {
  private final AwsClients clients;
  private final String database;
  private final AwsKeys keys;
  private final List<String> regions;
  private final String defaultRegion;

  private AwsContext(AwsClients clients, String database, AwsKeys keys, List<String> regions, String defaultRegion) {
    this.clients = requireNonNull(clients, "clients is null");
    this.database = requireNonNull(database, "database is null");
    this.keys = requireNonNull(keys, "keys is null");
    this.regions = List.copyOf(regions);
    this.defaultRegion = requireNonNull(defaultRegion, "defaultRegion is null");
  }

  /**
   * A context for one operation.
   *
   * @param regions the enabled regions, in the order reads should go
   */
  public static AwsContext of(
      AwsClients clients, String database, AwsKeys keys, List<String> regions, String defaultRegion) {
    return new AwsContext(clients, database, keys, regions, defaultRegion);
  }

  @Override
  public String database() {
    return database;
  }

  /** The access key id in use (not a secret); for messages and logs. */
  public String accessKeyId() {
    return keys.accessKeyId();
  }

  @Override
  public List<String> regions() {
    return regions;
  }

  @Override
  public String defaultRegion() {
    return defaultRegion;
  }

  /** Any region may be asked for, not only enabled ones: the region list itself is read in the default region. */
  @Override
  public <T> T client(Class<T> type, String region) {
    return clients.client(type, database, keys, region);
  }

  @Override
  public int maxConcurrency() {
    return clients.settings().maxConcurrency();
  }

  @Override
  public String toString() {
    return "AwsContext[database=" + database + ", accessKeyId=" + keys.accessKeyId() + ", regions=" + regions
        + ", defaultRegion=" + defaultRegion + "]";
  }
}
