package dev.iasql.aws;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The JDBC the mappers share: one prepared statement per call, every value a bound parameter ({@code setObject}, so a
 * null is sent untyped and PostgreSQL infers its type from the statement).
 */
public final class Jdbc {
  private Jdbc() {}

  /** Makes one value of a result row; must not move the cursor. */
  @FunctionalInterface
  public interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Runs a query and reads each of its rows. */
  public static <T> List<T> query(Connection c, String sql, RowReader<T> reader, @Nullable Object... args)
      throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) {
        out.add(reader.read(rs));
      }
      return out;
    }
  }

  /** Runs an INSERT, UPDATE or DELETE; returns how many rows it changed. */
  public static int update(Connection c, String sql, @Nullable Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args)) {
      return ps.executeUpdate();
    }
  }

  /**
   * Runs an INSERT (a statement of the module's own code) with {@code RETURNING id} appended; returns the new row's
   * id, or null when it inserted nothing.
   */
  public static @Nullable Integer insertReturningId(Connection c, String sql, @Nullable Object... args)
      throws SQLException {
    List<Integer> ids = query(c, sql + " RETURNING id", rs -> rs.getInt(1), args);
    return ids.isEmpty() ? null : ids.get(0);
  }

  /** Deletes the row of {@code table} (a name from the module's own code, never from a value) with this id. */
  public static void deleteRow(Connection c, String table, @Nullable Integer id) throws SQLException {
    update(c, "DELETE FROM " + table + " WHERE id = ?", requireNonNull(id, "db row without id"));
  }

  private static PreparedStatement prepare(Connection c, String sql, @Nullable Object[] args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      return ps;
    } catch (SQLException e) {
      ps.close();
      throw e;
    }
  }
}
