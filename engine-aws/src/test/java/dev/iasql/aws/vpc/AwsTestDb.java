package dev.iasql.aws.vpc;

import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;

/** Test helper: a user database with AWS modules installed the way a user does it. */
public final class AwsTestDb {
  private AwsTestDb() {}

  /**
   * As the tenant: installs aws_account, stores moto's keys, loads the cloud's regions and makes {@code region} the
   * default and only enabled region, then installs {@code module} (credentials first, so that an install which
   * imports from AWS can).
   */
  public static void install(TestDatabase db, String region, String module) throws SQLException {
    Moto.Keys keys = Moto.start().account();
    try (Connection c = db.tenant()) {
      installAwsAccount(c);
      Sql.exec(c, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)", keys.accessKeyId(),
          keys.secretAccessKey());
      Sql.rows(c, "SELECT * FROM iasql_sync()"); // only a region the cloud listed can be the default
      Sql.rows(c, "SELECT default_aws_region(?)", region);
      Sql.exec(c, "UPDATE aws_regions SET is_enabled = (region = ?)", region); // the only region read
      Sql.rows(c, "SELECT * FROM iasql_install(?)", module);
    }
  }

  /** Installs aws_account the way a user does: as the tenant, through the SQL function bridge. */
  public static void installAwsAccount(Connection tenant) throws SQLException {
    Sql.rows(tenant, "SELECT * FROM iasql_install('aws_account')");
  }
}
