package dev.iasql.postgres;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of an external cluster's URL that the engine uses. Two spellings are accepted: a libpq URI {@code
 * postgresql://user:pass@host:port[/db]} (also {@code postgres://}) and a pgjdbc URL {@code
 * jdbc:postgresql://host:port/db?user=..&password=..}. Credentials may sit in the user-info part or in {@code user}/{@code
 * password} query parameters; other parameters are refused rather than silently dropped.
 *
 * <p>Why a hand-written parser: {@link java.net.URI} rejects host names libpq accepts (underscores) and its exceptions
 * quote the whole input, password included. No message here ever contains the password.
 */
record ClusterUrl(String host, int port, String user, String password) {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterUrl.class);

  static final int DEFAULT_PORT = 5432;

  ClusterUrl {
    requireNonNull(host, "host is null");
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
  }

  static ClusterUrl parse(String url) {
    return parse(url, System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /**
   * As {@link #parse(String)}, with libpq's password conventions: a URL without a password takes it from {@code
   * PGPASSWORD}, else from the password file ({@code PGPASSFILE}, default {@code ~/.pgpass}), which libpq ignores
   * unless only its owner can read it (mode 0600). Without either the password is empty, which a cluster whose
   * pg_hba trusts this host accepts.
   */
  static ClusterUrl parse(String url, Map<String, String> env, Path home) {
    requireNonNull(url, "url is null");
    String lower = url.toLowerCase(Locale.ROOT);
    String rest;
    boolean jdbc;
    if (lower.startsWith("jdbc:postgresql://")) {
      rest = url.substring("jdbc:postgresql://".length());
      jdbc = true;
    } else if (lower.startsWith("postgresql://")) {
      rest = url.substring("postgresql://".length());
      jdbc = false;
    } else if (lower.startsWith("postgres://")) {
      rest = url.substring("postgres://".length());
      jdbc = false;
    } else {
      throw invalid("it must start with postgresql://, postgres:// or jdbc:postgresql://");
    }

    int queryStart = rest.indexOf('?');
    String query = queryStart >= 0 ? rest.substring(queryStart + 1) : "";
    String beforeQuery = queryStart >= 0 ? rest.substring(0, queryStart) : rest;
    int at = beforeQuery.lastIndexOf('@');
    int pathStart = beforeQuery.indexOf('/', Math.max(at, 0));
    String authority = pathStart >= 0 ? beforeQuery.substring(0, pathStart) : beforeQuery;

    String user = null;
    String password = null;
    String hostPort = authority;
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      hostPort = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      user = ConnectionStrings.percentDecode(colon >= 0 ? userInfo.substring(0, colon) : userInfo, false, "user");
      if (colon >= 0) {
        password = ConnectionStrings.percentDecode(userInfo.substring(colon + 1), false, "password");
      }
    }

    for (String pair : query.isEmpty() ? new String[0] : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = eq >= 0 ? pair.substring(0, eq) : pair;
      String value = eq >= 0 ? pair.substring(eq + 1) : "";
      switch (key) {
        case "user" -> {
          if (user != null) {
            throw invalid("it names the user twice");
          }
          user = ConnectionStrings.percentDecode(value, jdbc, "user");
        }
        case "password" -> {
          if (password != null) {
            throw invalid("it gives the password twice");
          }
          password = ConnectionStrings.percentDecode(value, jdbc, "password");
        }
        default -> throw invalid("parameter '" + key + "' is not supported (only user and password are)");
      }
    }

    String host;
    int port = DEFAULT_PORT;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw invalid("its IPv6 host has no closing ']'");
      }
      host = hostPort.substring(1, close);
      String afterHost = hostPort.substring(close + 1);
      if (!afterHost.isEmpty()) {
        if (!afterHost.startsWith(":")) {
          throw invalid("unexpected text after the IPv6 host");
        }
        port = parsePort(afterHost.substring(1));
      }
    } else {
      int colon = hostPort.lastIndexOf(':');
      host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
      if (colon >= 0) {
        port = parsePort(hostPort.substring(colon + 1));
      }
    }
    if (host.isEmpty()) {
      throw invalid("it names no host (the engine connects over TCP)");
    }
    if (host.indexOf(',') >= 0 || (host.indexOf(':') >= 0 && !hostPort.startsWith("["))) {
      throw invalid("it must name exactly one host");
    }
    if (user == null || user.isEmpty()) {
      throw invalid("it names no user");
    }
    if (password == null) {
      password = passwordFor(host, port, user, env, home);
    }
    return new ClusterUrl(host, port, user, password);
  }

  /**
   * The parts of a pgjdbc data source (see {@link PostgresCluster#external(javax.sql.DataSource)}), with the same
   * password conventions as a URL.
   */
  static ClusterUrl of(String[] hosts, int[] ports, String user, String password) {
    if (hosts == null || hosts.length != 1 || hosts[0] == null || hosts[0].isEmpty()) {
      throw new IllegalArgumentException("invalid PostgreSQL data source: it must name exactly one host");
    }
    if (user == null || user.isEmpty()) {
      throw new IllegalArgumentException("invalid PostgreSQL data source: it names no user");
    }
    int port = ports == null || ports.length == 0 || ports[0] == 0 ? DEFAULT_PORT : ports[0];
    return new ClusterUrl(hosts[0], port, user, password != null ? password
        : passwordFor(hosts[0], port, user, System.getenv(), Path.of(System.getProperty("user.home"))));
  }

  /** The engine connects to the {@code postgres} database first; a password file line names it or {@code *}. */
  private static final String FIRST_DATABASE = "postgres";

  private static String passwordFor(String host, int port, String user, Map<String, String> env, Path home) {
    String fromEnv = env.get("PGPASSWORD");
    if (fromEnv != null && !fromEnv.isEmpty()) { // libpq takes an empty one for none
      return fromEnv;
    }
    String file = env.get("PGPASSFILE");
    Path passFile = file != null && !file.isEmpty() ? Path.of(file) : home.resolve(".pgpass");
    if (!Files.isRegularFile(passFile)) {
      return "";
    }
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(passFile);
      if (mode.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
        LOG.warn("password file {} has group or world access; permissions should be u=rw (0600) or less: ignored,"
            + " as libpq ignores it", passFile);
        return "";
      }
      for (String line : Files.readAllLines(passFile, StandardCharsets.UTF_8)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        List<String> fields = passFileFields(line);
        if (fields.size() == 5 && matches(fields.get(0), host) && matches(fields.get(1), Integer.toString(port))
            && matches(fields.get(2), FIRST_DATABASE) && matches(fields.get(3), user)) {
          return fields.get(4);
        }
      }
    } catch (IOException | UnsupportedOperationException e) {
      LOG.warn("cannot read the password file {}: {}", passFile, e.toString());
    }
    return "";
  }

  private static boolean matches(String pattern, String value) {
    return pattern.equals("*") || pattern.equals(value);
  }

  /** host:port:database:username:password, where \: and \\ stand for : and \ (libpq's format). */
  private static List<String> passFileFields(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (ch == '\\' && i + 1 < line.length()) {
        field.append(line.charAt(++i));
      } else if (ch == ':' && fields.size() < 4) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(ch);
      }
    }
    fields.add(field.toString());
    return fields;
  }

  private static int parsePort(String text) {
    if (text.isEmpty()) {
      return DEFAULT_PORT;
    }
    int port;
    try {
      port = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw invalid("its port is not a number", e);
    }
    if (port < 1 || port > 65535) {
      throw invalid("its port is out of range");
    }
    return port;
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException("invalid PostgreSQL URL: " + why);
  }

  private static IllegalArgumentException invalid(String why, Throwable cause) {
    return new IllegalArgumentException("invalid PostgreSQL URL: " + why, cause);
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "ClusterUrl[" + user + "@" + ConnectionStrings.urlHost(host) + ":" + port + "]";
  }
}
