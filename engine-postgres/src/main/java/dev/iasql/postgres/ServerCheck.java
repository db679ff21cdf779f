package dev.iasql.postgres;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Reads the running server's settings and pg_hba rules back and compares them with what was asked for. Why: the
 * hardening rests on option precedence (zonky's own {@code -F} must lose to {@code fsync=on}) and on files written
 * behind zonky's back; a silent change in either would leave a server weaker than it claims, so start-up fails instead.
 */
final class ServerCheck {

  private ServerCheck() {}

  /** Returns the differences, empty when the server is configured as expected. */
  static List<String> differences(DataSource admin, Map<String, String> expectedSettings) throws SQLException {
    List<String> differences = new ArrayList<>();
    try (Connection c = admin.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement("SELECT current_setting(?)")) {
        for (Map.Entry<String, String> e : expectedSettings.entrySet()) {
          ps.setString(1, e.getKey());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            String actual = rs.getString(1);
            if (!e.getValue().equals(actual)) {
              differences.add(e.getKey() + " is '" + actual + "', expected '" + e.getValue() + "'");
            }
          }
        }
      }
      List<String> rules = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT type, array_to_string(database, ','), array_to_string(user_name, ','),"
              + " address, netmask, auth_method, error FROM pg_hba_file_rules ORDER BY rule_number")) {
        while (rs.next()) {
          if (rs.getString(7) != null) {
            differences.add("pg_hba.conf has an error: " + rs.getString(7));
            continue;
          }
          String address = rs.getString(4) == null ? "" : " " + rs.getString(4) + "/" + prefixLength(rs.getString(5));
          rules.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + address + " " + rs.getString(6));
        }
      }
      if (!rules.equals(ServerSettings.HBA_RULES)) {
        differences.add("pg_hba rules are " + rules + ", expected " + ServerSettings.HBA_RULES);
      }
    }
    return differences;
  }

  /** 255.255.255.0 → 24; the netmask is a literal address, so no name lookup happens. */
  private static int prefixLength(String netmask) {
    try {
      int bits = 0;
      for (byte b : InetAddress.getByName(netmask).getAddress()) {
        bits += Integer.bitCount(b & 0xff);
      }
      return bits;
    } catch (UnknownHostException e) {
      throw new IllegalStateException("pg_hba_file_rules returned a netmask that is not an address: " + netmask, e);
    }
  }
}
