package dev.iasql.engine.error;

/**
 * How text a user typed is shown in messages and logs: control characters (CR, LF, ESC …) become visible escapes, so a
 * value can neither start a line of its own nor drive a terminal, and quoted values are cut to a readable length.
 */
public final class UserText {
  /** The most characters of a user value a message quotes. */
  public static final int QUOTED_MAX = 80;

  private UserText() {}

  /**
   * {@code text} on one line: {@code \n}, {@code \r} and {@code \t} as such, every other control character (C0, DEL,
   * C1) and the Unicode line and paragraph separators as {@code \}{@code uXXXX}. Printable text, backslashes included,
   * is unchanged, so escaping twice changes nothing (a message that quotes a value is escaped again in the log).
   */
  public static String escape(CharSequence text) {
    int i = 0;
    while (i < text.length() && !needsEscape(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text.toString();
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (needsEscape(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /**
   * A user value for a message: escaped, in double quotes, and cut after {@value #QUOTED_MAX} characters with its full
   * length said, so a huge argument cannot make a huge message.
   */
  public static String quote(String value) {
    if (value == null) {
      return "NULL";
    }
    if (value.length() <= QUOTED_MAX) {
      return "\"" + escape(value) + "\"";
    }
    return "\"" + escape(value.substring(0, QUOTED_MAX)) + "…\" (" + value.length() + " characters)";
  }

  private static boolean needsEscape(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }
}
