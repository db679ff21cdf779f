package dev.iasql.postgres;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded server's configuration. The settings go on the postgres command line (zonky's {@code -c} options), which
 * outranks postgresql.conf and ALTER SYSTEM, so an edited config file cannot widen {@code listen_addresses}; pg_hba.conf
 * is rewritten on every start for the same reason. After start, {@link ServerCheck} reads every value back.
 */
final class ServerSettings {

  static final String ADMIN_USER = "postgres";
  static final String LISTEN_ADDRESS = "127.0.0.1";

  /** The only rules: trust for the admin on the private socket, a password for everyone on TCP. */
  static final List<String> HBA_RULES = List.of(
      "local all " + ADMIN_USER + " trust",
      "host all all 127.0.0.1/32 scram-sha-256",
      "host all all ::1/128 scram-sha-256");

  private ServerSettings() {}

  static Map<String, String> of(EmbeddedOptions options, SocketDirectory socketDirectory) {
    Durability durability = options.durability();
    boolean durable = durability == Durability.DURABLE;
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("listen_addresses", LISTEN_ADDRESS);
    settings.put("unix_socket_directories", socketDirectory.path().toString());
    settings.put("unix_socket_permissions", "0700");
    settings.put("password_encryption", "scram-sha-256");
    settings.put("max_connections", Integer.toString(options.maxConnections()));
    settings.put("shared_buffers", durable ? "128MB" : "64MB");
    settings.put("lc_messages", "C");
    // timezone: zonky's builder sets UTC (PostgreSQL shows it as Etc/UTC, so it is not repeated and checked here)
    // zonky always passes -F (fsync off) and synchronous_commit=off; these come later on the command line and win.
    settings.put("fsync", durable ? "on" : "off");
    settings.put("synchronous_commit", durable ? "on" : "off");
    settings.put("full_page_writes", durable ? "on" : "off");
    return settings;
  }

  static String hbaFile() {
    return "# Written by iasql-engine on every start; edits are overwritten.\n"
        + "# trust only for the admin on the private unix socket; every TCP connection needs a password.\n"
        + String.join("\n", HBA_RULES) + "\n";
  }
}
