package dev.iasql.aws.account;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.util.PSQLException;

/** Test helper: run a statement with bound arguments and get its rows as maps. */
final class Sql {
  private Sql() {}

  static List<Map<String, Object>> rows(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<Map<String, Object>> out = new ArrayList<>();
      if (!ps.execute()) {
        return out;
      }
      try (ResultSet rs = ps.getResultSet()) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            row.put(md.getColumnLabel(i), rs.getObject(i));
          }
          out.add(row);
        }
      }
      return out;
    }
  }

  /** Runs a statement that must fail, and returns PostgreSQL's error. */
  static PSQLException failure(Connection c, String sql, Object... args) {
    try {
      rows(c, sql, args);
    } catch (PSQLException e) {
      return e;
    } catch (SQLException e) {
      throw new AssertionError("expected a PostgreSQL error, got " + e, e);
    }
    throw new AssertionError("expected " + sql + " to fail, but it succeeded");
  }

  static Object value(Connection c, String sql, Object... args) throws SQLException {
    List<Map<String, Object>> rows = rows(c, sql, args);
    if (rows.size() != 1) {
      throw new AssertionError("expected one row from " + sql + " but got " + rows.size());
    }
    return rows.get(0).values().iterator().next();
  }

  /** Installs aws_account the way a user does: as the tenant, through the SQL function bridge. */
  static void installAwsAccount(Connection tenant) throws SQLException {
    rows(tenant, "SELECT * FROM iasql_install('aws_account')");
  }
}
