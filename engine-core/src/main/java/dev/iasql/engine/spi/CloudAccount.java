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
   * @param extensions the extensions of the engine running the operation: its clients come from there, never from
   *     something the whole JVM shares
   * @throws CloudException when the account is not usable (no credentials), with a message saying what to do
   */
  CloudContext open(Connection c, String database, Extensions extensions) throws SQLException;

  /** The codes, from this cloud's own error block, that the engine's apply and sync report. */
  CloudCodes codes();

  /** Tables of the account module the engine reconciles before any other (the region list), ordered. */
  default List<Mapper<?>> accountMappers() {
    return List.of();
  }

  /**
   * How a user gives the database its credentials, in the tables of this account's own release (hints name it):
   * {@code INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES ('…', '…')}.
   */
  default String credentialsHint() {
    return "insert your credentials into the account module's table";
  }

  /** How a user makes apply and sync include the rows of a region they now leave alone. */
  default String enableRegionHint(String region) {
    return "enable region " + region;
  }
}
