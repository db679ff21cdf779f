package dev.iasql.engine.sql;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** Where a pool opens its physical connections: each one counts against the engine's share (see {@link Pools}). */
final class CountedDataSource implements DataSource {
  private final String url;
  private final Budgeted budget;
  /** Set by the pool (its connection timeout), which also waits this long for its threads when it closes. */
  private volatile int loginTimeoutSeconds = 10;

  /** Opens a session within a part of the engine's share. */
  @FunctionalInterface
  interface Budgeted {
    Connection counted(Pools.Opener opener) throws SQLException;
  }

  CountedDataSource(String url, Budgeted budget) {
    this.url = url;
    this.budget = budget;
  }

  @Override
  public Connection getConnection() throws SQLException {
    throw new SQLFeatureNotSupportedException("a pool's connections log in as its user");
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("ApplicationName", "iasql-engine");
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("loginTimeout", Integer.toString(loginTimeoutSeconds));
    return budget.counted(() -> DriverManager.getConnection(url, p));
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {
    loginTimeoutSeconds = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
