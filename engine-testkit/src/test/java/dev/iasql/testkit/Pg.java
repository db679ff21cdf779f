package dev.iasql.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.postgres.PostgresCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Small JDBC helpers for the lifecycle tests: logins, queries with bind parameters, SQLSTATE of a failure. */
final class Pg {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private Pg() {}

  /** A login over TCP with a password, the way a tenant's client connects. */
  static Connection login(PostgresCluster cluster, String database, String user, String password)
      throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("ApplicationName", "iasql-test");
    return DriverManager.getConnection(cluster.jdbcUrl(database), p);
  }

  /** The cluster's admin, for checks only an admin can make. */
  static Connection admin(PostgresCluster cluster, String database) throws SQLException {
    return cluster.adminDataSource(database).getConnection();
  }

  static List<List<Object>> rows(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        int columns = rs.getMetaData().getColumnCount();
        List<List<Object>> out = new ArrayList<>();
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= columns; i++) {
            row.add(rs.getObject(i));
          }
          out.add(Collections.unmodifiableList(row));
        }
        return out;
      }
    }
  }

  /** The one column of every row. */
  static List<Object> column(Connection c, String sql, Object... params) throws SQLException {
    return rows(c, sql, params).stream().map(r -> r.get(0)).toList();
  }

  static List<String> strings(Connection c, String sql, Object... params) throws SQLException {
    return rows(c, sql, params).stream().map(r -> String.valueOf(r.get(0))).toList();
  }

  /** The value of a query that returns exactly one row. */
  static Object value(Connection c, String sql, Object... params) throws SQLException {
    List<List<Object>> rows = rows(c, sql, params);
    assertThat(rows).as("rows of %s", sql).hasSize(1);
    return rows.get(0).get(0);
  }

  static void exec(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      ps.execute();
    }
  }

  /**
   * Runs a utility statement (CREATE DATABASE, GRANT …) whose identifiers PostgreSQL's {@code format()} fills in from
   * bound values, as the engine does: no name is concatenated into SQL here either.
   */
  static void execFormatted(Connection c, String template, String... args) throws SQLException {
    StringBuilder call = new StringBuilder("SELECT format(?");
    for (int i = 0; i < args.length; i++) {
      call.append(", ?::text");
    }
    call.append(')');
    Object[] binds = new Object[args.length + 1];
    binds[0] = template;
    System.arraycopy(args, 0, binds, 1, args.length);
    String statement = (String) value(c, call.toString(), binds);
    exec(c, statement);
  }

  /** The SQLSTATE of the {@link SQLException} the call throws; fails the test if it throws none. */
  static String sqlStateOf(ThrowingCallable call) {
    return sqlStateOf("the call", call);
  }

  /** As {@link #sqlStateOf(ThrowingCallable)}, naming what was expected to fail in the assertion message. */
  static String sqlStateOf(String what, ThrowingCallable call) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(t).as("%s should fail with an SQLException, but it succeeded", what).isNotNull();
    assertThat(t).as("%s should fail with an SQLException", what).isInstanceOf(SQLException.class);
    return ((SQLException) t).getSQLState();
  }

  /** A database name no other test of this JVM uses. */
  static String uniqueName(String prefix) {
    return prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
  }

  /** Drops a database the test made through the engine, if it is still there: cleanup after a failed assertion. */
  static void dropIfPresent(Engine engine, String... names) {
    for (String name : Arrays.asList(names)) {
      try {
        engine.dropDatabase(name);
      } catch (EngineException e) {
        if (e.code() != ErrorCode.DATABASE_NOT_FOUND) {
          throw e;
        }
      }
    }
  }
}
