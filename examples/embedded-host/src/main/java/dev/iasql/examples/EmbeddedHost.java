package dev.iasql.examples;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.engine.PostgresSource;
import dev.iasql.postgres.PostgresCluster;
import java.nio.file.Path;
import java.sql.*;

public final class EmbeddedHost {
  public static void main(String[] args) throws SQLException {     // AWS keys as args; AWS_ENDPOINT_URL=… for moto
    try (PostgresCluster postgres = PostgresCluster.embedded(Path.of("iasql-data"))) {  // .external(url or DataSource)
      System.out.println("created " + run(postgres, args[0], args[1]));
    }
  }

  public static String run(PostgresSource postgres, String keyId, String secret) throws SQLException {
    try (Engine engine = Engine.configure().postgres(postgres).build()) {  // IQ007 unreachable, IQ304 too old
      CreatedDatabase db = engine.createDatabase("demo");                   // db.url() is for psql
      try (Connection tenant = db.dataSource().getConnection(); Statement s = tenant.createStatement();
          PreparedStatement keys = tenant.prepareStatement(
              "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)")) {
        s.execute("SELECT * FROM iasql_install('aws_security_group')");     // and aws_account, aws_vpc
        keys.setString(1, keyId);
        keys.setString(2, secret);
        keys.execute();
        s.execute("SELECT * FROM iasql_sync()");
        s.execute("INSERT INTO security_group (description, group_name) VALUES ('web servers', 'web')");
        s.execute("SELECT * FROM iasql_apply()");
        try (ResultSet r = s.executeQuery("SELECT group_id FROM security_group WHERE group_name = 'web'")) {
          return r.next() ? r.getString(1) : null;                          // the id AWS gave it
        } finally {                                                         // a demo leaves no group behind
          s.execute("DELETE FROM security_group WHERE group_name = 'web'");
          s.execute("SELECT * FROM iasql_apply()");
        }
      } finally {
        engine.dropDatabase("demo");
      }
    }
  }
}
