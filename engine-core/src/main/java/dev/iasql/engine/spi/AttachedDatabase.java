package dev.iasql.engine.spi;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A database the engine serves, as an extension sees it.
 *
 * @param name the PostgreSQL database name
 * @param kind the metadata database or a user database
 * @param dataSource pooled admin connections to it
 * @param bridgeConnInfo the libpq conninfo a function inside the server uses to reach it through dblink
 * @param tenantRole the login role of a user database; empty for the metadata database
 * @param ringConnInfo the libpq conninfo the database's functions reach the engine's doorbell with (the metadata
 *     database, as the database's ring role); null for the metadata database, whose functions ring it directly
 * @param dedicated opens an admin connection of its own, outside the pool, with extra driver properties: for a
 *     connection held for the engine's whole life (a listener), whose driver settings differ from the pool's
 */
public record AttachedDatabase(
    String name,
    Kind kind,
    DataSource dataSource,
    String bridgeConnInfo,
    @Nullable String tenantRole,
    @Nullable String ringConnInfo,
    DedicatedConnections dedicated) {
  public enum Kind {
    METADATA,
    USER
  }

  public AttachedDatabase {
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(dataSource, "dataSource is null");
    requireNonNull(bridgeConnInfo, "bridgeConnInfo is null");
    requireNonNull(dedicated, "dedicated is null");
  }

  /** Opens unpooled admin connections to this database; the caller closes them. */
  @FunctionalInterface
  public interface DedicatedConnections {
    Connection open(Properties driverProperties) throws SQLException;
  }

  public Optional<String> tenant() {
    return Optional.ofNullable(tenantRole);
  }

  @Override
  public String toString() {
    return kind + " database " + name;
  }
}
