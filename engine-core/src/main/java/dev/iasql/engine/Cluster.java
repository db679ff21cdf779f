package dev.iasql.engine;

import static java.util.Objects.requireNonNull;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * How the engine reaches the PostgreSQL cluster it runs on: an admin login over TCP, and the conninfo that functions
 * inside the server use to loop back through dblink: as the admin into the metadata database ({@code
 * bridgeConnInfo}, a private unix socket for the embedded cluster), and as a user database's own non-superuser owner
 * role into that database ({@code loginConnInfo}, with that role's password).
 */
public record Cluster(
    String host, int port, String adminUser, String adminPassword, UnaryOperator<String> bridgeConnInfo,
    LoginConnInfo loginConnInfo) {
  public Cluster {
    requireNonNull(host, "host is null");
    requireNonNull(adminUser, "adminUser is null");
    requireNonNull(adminPassword, "adminPassword is null");
    requireNonNull(bridgeConnInfo, "bridgeConnInfo is null");
    requireNonNull(loginConnInfo, "loginConnInfo is null");
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** The libpq conninfo a function inside the server uses to reach {@code database} as {@code user}. */
  @FunctionalInterface
  public interface LoginConnInfo {
    String conninfo(String database, String user, String password);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + hostForUrl() + ":" + port + "/" + encode(database);
  }

  /** A URL psql takes as is: {@code postgresql://user:password@host:port/database}. */
  public String tenantUrl(String database, String user, String password) {
    return "postgresql://" + encode(user) + ":" + encode(password) + "@" + hostForUrl() + ":" + port + "/"
        + encode(database);
  }

  private String hostForUrl() {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String toString() {
    return "Cluster[" + adminUser + "@" + host + ":" + port + "]";
  }
}
