package dev.iasql.engine.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
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
 */
public record AttachedDatabase(
    String name, Kind kind, DataSource dataSource, String bridgeConnInfo, @Nullable String tenantRole) {
  public enum Kind {
    METADATA,
    USER
  }

  public AttachedDatabase {
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(dataSource, "dataSource is null");
    requireNonNull(bridgeConnInfo, "bridgeConnInfo is null");
  }

  public Optional<String> tenant() {
    return Optional.ofNullable(tenantRole);
  }

  @Override
  public String toString() {
    return kind + " database " + name;
  }
}
