package dev.iasql.engine.spi;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.util.List;
import java.util.Optional;

/**
 * One call of a module's {@link Rpc}: the arguments as the caller gave them, the operation's connection to the
 * database (inside its transaction) and the cloud context opened from the database's own credentials.
 *
 * @param arguments one per declared argument; an absent optional one, or a NULL, is empty (a required one never is:
 *     the engine refuses such a call, IQ401, naming the argument)
 */
public record RpcCall(String database, List<Optional<String>> arguments, Connection connection, CloudContext cloud) {
  public RpcCall {
    requireNonNull(database, "database is null");
    arguments = List.copyOf(requireNonNull(arguments, "arguments is null"));
    requireNonNull(connection, "connection is null");
    requireNonNull(cloud, "cloud is null");
  }

  /** The argument at {@code index}, empty when the caller gave NULL, '' or nothing. */
  public Optional<String> argument(int index) {
    return index < arguments.size() ? arguments.get(index) : Optional.empty();
  }
}
