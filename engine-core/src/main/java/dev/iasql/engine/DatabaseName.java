package dev.iasql.engine;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.error.UserText;
import java.util.Set;
import java.util.regex.Pattern;

/** The name of a user database: the PostgreSQL database name, lower case, never a system database. */
public record DatabaseName(String value) {
  private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Set<String> RESERVED = Set.of("postgres", "template0", "template1", Engine.METADATA_DATABASE);

  public DatabaseName {
    requireNonNull(value, "value is null");
    if (!VALID.matcher(value).matches() || RESERVED.contains(value) || value.startsWith("pg_")) {
      throw new EngineException(
          ErrorCode.INVALID_DATABASE_NAME,
          UserText.quote(value) + " cannot name a database",
          null,
          "use 1 to 63 lower case letters, digits and underscores, starting with a letter; not postgres, template0,"
              + " template1, " + Engine.METADATA_DATABASE + " or pg_*",
          null);
    }
  }

  public static DatabaseName of(String value) {
    if (value == null) {
      throw new EngineException(ErrorCode.INVALID_DATABASE_NAME, "the database name is null");
    }
    return new DatabaseName(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
