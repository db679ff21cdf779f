package dev.iasql.aws.vpc;

import dev.iasql.testkit.Moto;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helper: a user database with AWS modules installed the way a user does it, and small SQL shortcuts. */
public final class AwsTestDb {
  private AwsTestDb() {}

  /**
   * As the tenant: installs aws_account, stores moto's keys and makes {@code region} the enabled default region, then
   * installs {@code module} (credentials first, so that an install which imports from AWS can).
   */
  public static void install(TestDatabase db, String region, String module) throws SQLException {
    Moto.Keys keys = Moto.start().account();
    try (Connection c = db.tenant()) {
      rows(c, "SELECT * FROM iasql_install('aws_account')");
      exec(c, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)", keys.accessKeyId(),
          keys.secretAccessKey());
      exec(c, "INSERT INTO aws_regions (region, is_default, is_enabled) VALUES (?, false, true)"
          + " ON CONFLICT (region) DO NOTHING", region);
      rows(c, "SELECT default_aws_region(?)", region);
      rows(c, "SELECT * FROM iasql_install(?)", module);
    }
  }

  public static List<Map<String, Object>> rows(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<Map<String, Object>> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
          }
          out.add(row);
        }
      }
      return out;
    }
  }

  public static Object value(Connection c, String sql, Object... args) throws SQLException {
    List<Map<String, Object>> rows = rows(c, sql, args);
    if (rows.size() != 1 || rows.get(0).size() != 1) {
      throw new AssertionError("expected one value from " + sql + ", got " + rows);
    }
    return rows.get(0).values().iterator().next();
  }

  public static int exec(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      return ps.executeUpdate();
    }
  }
}
