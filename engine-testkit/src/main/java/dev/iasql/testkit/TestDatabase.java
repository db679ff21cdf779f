package dev.iasql.testkit;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.DatabaseName;
import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** A user database made for one test, reached as its tenant (the way users reach it) or as the admin. */
public record TestDatabase(Engine engine, PostgresCluster cluster, CreatedDatabase created) {
  public String name() {
    return created.name();
  }

  public DatabaseName databaseName() {
    return DatabaseName.of(created.name());
  }

  /** A new connection as the tenant's login role, over TCP with its password. */
  public Connection tenant() throws SQLException {
    return connect(created.pgUser(), created.pgPassword());
  }

  /** A new connection as the cluster's admin: for checks the tenant may not make. */
  public Connection admin() throws SQLException {
    return connect(cluster.adminUser(), cluster.adminPassword());
  }

  private Connection connect(String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("ApplicationName", "iasql-test");
    return DriverManager.getConnection(cluster.jdbcUrl(created.name()), p);
  }
}
