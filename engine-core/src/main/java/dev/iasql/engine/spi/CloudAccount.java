package dev.iasql.engine.spi;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The module that holds a database's cloud account (credentials, regions) contributes one of these: it opens the
 * per-operation {@link CloudContext} the other modules' mappers use.
 */
public interface CloudAccount {
  /**
   * Reads the account from the database on the operation's connection.
   *
   * @param database the database the operation runs on: clients are never shared with another
   * @throws CloudException when the account is not usable (no credentials), with a message saying what to do
   */
  CloudContext open(Connection c, String database) throws SQLException;

  /** Tables of the account module the engine reconciles before any other (the region list), ordered. */
  default List<Mapper<?>> accountMappers() {
    return List.of();
  }
}
