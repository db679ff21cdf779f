package dev.iasql.server.cli;

import java.util.regex.Pattern;

/** Spelling of values in the shell commands the program suggests, so they can be pasted as printed. */
public final class Shell {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  private Shell() {}

  /** The value as is when the shell leaves it alone, else in single quotes. */
  public static String quote(String value) {
    if (PLAIN.matcher(value).matches()) {
      return value;
    }
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
