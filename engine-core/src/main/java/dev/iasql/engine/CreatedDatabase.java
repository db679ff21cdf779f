package dev.iasql.engine;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A new user database and its login. The password is shown here once and stored nowhere by the engine (PostgreSQL
 * keeps only its SCRAM verifier).
 *
 * @param url what psql takes as is: {@code postgresql://user:password@host:port/database}
 */
public record CreatedDatabase(String name, String pgUser, String pgPassword, String url) {

  /** The same login for JDBC: {@code jdbc:postgresql://host:port/database?user=…&password=…}. */
  public String jdbcUrl() {
    // url is Cluster.tenantUrl's: everything after the user info is host, port and database, already encoded.
    return "jdbc:postgresql://" + url.substring(url.lastIndexOf('@') + 1) + "?user=" + encode(pgUser)
        + "&password=" + encode(pgPassword);
  }

  /** A new, unpooled data source that logs in as this database's tenant (wrap it in a pool of your own). */
  public DataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(jdbcUrl());
    return ds;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String toString() {
    return "CreatedDatabase[" + name + ", user " + pgUser + "]";
  }
}
