package dev.iasql.testkit;

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
public final class Sql {
  private Sql() {}

  /**
   * The statement's rows, by column label; SQL arrays become lists. A statement that returns no rows (an INSERT,
   * UPDATE or DELETE without RETURNING) gives an empty list.
   */
  public static List<Map<String, Object>> rows(Connection c, String sql, Object... args) throws SQLException {
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
            Object v = rs.getObject(i);
            if (v instanceof java.sql.Array a) {
              v = List.of((Object[]) a.getArray());
            }
            row.put(md.getColumnLabel(i), v);
          }
          out.add(row);
        }
      }
      return out;
    }
  }

  /** Runs a statement that must fail, and returns PostgreSQL's error. */
  public static PSQLException failure(Connection c, String sql, Object... args) {
    try {
      rows(c, sql, args);
    } catch (PSQLException e) {
      return e;
    } catch (SQLException e) {
      throw new AssertionError("expected a PostgreSQL error, got " + e, e);
    }
    throw new AssertionError("expected " + sql + " to fail, but it succeeded");
  }

  public static String hint(PSQLException e) {
    return e.getServerErrorMessage() == null ? null : e.getServerErrorMessage().getHint();
  }

  public static Object value(Connection c, String sql, Object... args) throws SQLException {
    List<Map<String, Object>> rows = rows(c, sql, args);
    if (rows.size() != 1) {
      throw new AssertionError("expected one row from " + sql + " but got " + rows.size());
    }
    return rows.get(0).values().iterator().next();
  }

  /** Runs a statement that returns no rows (or whose rows do not matter). */
  public static void exec(Connection c, String sql, Object... args) throws SQLException {
    rows(c, sql, args);
  }
}
