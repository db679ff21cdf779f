package dev.iasql.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * Spelling of the three connection-string dialects the module emits or reads: libpq key/value conninfo, libpq URIs and
 * pgjdbc URLs. Every value is quoted or percent-encoded, never pasted in raw: a password or database name with a quote,
 * space, {@code @} or {@code /} must neither break the string nor smuggle in another parameter.
 */
final class ConnectionStrings {

  private ConnectionStrings() {}

  /** {@code key='value' key='value'} in map order; values quoted by {@link #quoteConninfoValue}. */
  static String conninfo(Map<String, String> parameters) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> p : parameters.entrySet()) {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(p.getKey()).append('=').append(quoteConninfoValue(p.getValue()));
    }
    return out.toString();
  }

  /** A libpq conninfo value: always single-quoted, with {@code \} and {@code '} backslash-escaped. */
  static String quoteConninfoValue(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' || c == '\'') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.append('\'').toString();
  }

  /**
   * RFC 3986 percent-encoding of UTF-8 bytes; only unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) stay as they are,
   * so the result is safe in a URI's user, password, path and query, for libpq and pgjdbc alike ({@code +} is encoded,
   * since pgjdbc decodes it as a space).
   */
  static String percentEncode(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (byte b : value.getBytes(UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /**
   * Decodes {@code %XX} escapes as UTF-8; with {@code plusIsSpace} (pgjdbc's query decoding) a {@code +} becomes a space.
   * The message of a malformed value never quotes it: it may be a password.
   */
  static String percentDecode(String value, boolean plusIsSpace, String what) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%') {
        int hi = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
        int lo = hi >= 0 ? Character.digit(value.charAt(i + 2), 16) : -1;
        if (lo < 0) {
          throw new IllegalArgumentException("malformed percent-encoding in the " + what);
        }
        bytes.write((hi << 4) | lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < value.length()) {
          utf8 = value.substring(i, i + 2).getBytes(UTF_8);
          i++;
        }
        bytes.write(utf8, 0, utf8.length);
      }
    }
    return new String(bytes.toByteArray(), UTF_8);
  }

  /** A host as it appears in a URL authority: IPv6 literals in brackets. */
  static String urlHost(String host) {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }
}
