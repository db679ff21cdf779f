package dev.iasql.engine.spi;

import static java.util.Objects.requireNonNull;

import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A SQL function a module adds, that calls into the engine: {@code SELECT * FROM log_group_tail('my-group')}. The SQL
 * function bridge installs it with the module (a definer function with {@code search_path = pg_catalog, pg_temp}, its
 * arguments passed as bound values, EXECUTE for the tenant) and drops it at uninstall; the engine runs the handler
 * with the database's connection and cloud context, under a permit, as it runs apply.
 *
 * @param name the SQL function's name, in {@code public}
 * @param arguments its {@code text} parameters, in order; optional ones last (SQL {@code DEFAULT NULL})
 * @param result the record each row is ({@link ResultColumns})
 * @param description one line, for {@code iasql_operation} readers and the module's documentation
 * @param handler what runs in the engine; a {@link CloudException} becomes the cloud's coded error
 */
public record Rpc<R extends Record>(String name, List<Argument> arguments, Class<R> result, String description,
    Handler<R> handler) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z_]{0,62}");

  public Rpc {
    requireNonNull(name, "name is null");
    arguments = List.copyOf(requireNonNull(arguments, "arguments is null"));
    requireNonNull(result, "result is null");
    requireNonNull(description, "description is null");
    requireNonNull(handler, "handler is null");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("an RPC's name is a lower-case SQL identifier: " + name);
    }
    boolean optionalSeen = false;
    for (Argument a : arguments) {
      if (optionalSeen && a.required()) {
        throw new IllegalArgumentException(name + ": required argument " + a.name() + " after an optional one");
      }
      optionalSeen |= !a.required();
    }
    ResultColumns.of(result); // fails now, naming the component, rather than at install
  }

  /** One {@code text} parameter. */
  public record Argument(String name, boolean required) {
    public Argument {
      requireNonNull(name, "name is null");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("an argument's name is a lower-case SQL identifier: " + name);
      }
    }

    public static Argument required(String name) {
      return new Argument(name, true);
    }

    public static Argument optional(String name) {
      return new Argument(name, false);
    }
  }

  /** Runs one call. */
  @FunctionalInterface
  public interface Handler<R> {
    List<R> call(RpcCall call) throws SQLException;
  }
}
