package dev.iasql.engine.spi;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.error.UserText;
import java.util.Locale;
import java.util.regex.Pattern;

/** A module's name, such as {@code aws_vpc}: lower case letters, digits and underscores. */
public record ModuleName(String value) implements Comparable<ModuleName> {
  private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  public ModuleName {
    requireNonNull(value, "value is null");
    value = value.trim().toLowerCase(Locale.ROOT);
    if (!VALID.matcher(value).matches()) {
      throw new EngineException(
          ErrorCode.UNKNOWN_MODULE,
          UserText.quote(value) + " is not a module name",
          null,
          "module names are lower case letters, digits and underscores; SELECT * FROM iasql_modules_list() lists them",
          null);
    }
  }

  public static ModuleName of(String value) {
    return new ModuleName(value);
  }

  @Override
  public int compareTo(ModuleName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
