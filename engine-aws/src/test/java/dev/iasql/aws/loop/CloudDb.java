package dev.iasql.aws.loop;

import dev.iasql.aws.MotoEc2;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * A user database tied to a moto account, used the way a user would: as its login role, through the SQL functions.
 * {@link #ec2} reaches the same account straight, for out-of-band changes and for checking what apply did.
 */
final class CloudDb implements AutoCloseable {
  private final TestDatabase db;
  private final Moto.Keys keys;
  private final Connection tenant;
  private final List<Ec2Client> clients = new ArrayList<>();

  private CloudDb(TestDatabase db, Moto.Keys keys) throws SQLException {
    this.db = db;
    this.keys = keys;
    this.tenant = db.tenant();
  }

  /** Installs aws_account, inserts the keys, then installs the modules (which import the cloud). */
  static CloudDb connect(TestDatabase db, Moto.Keys keys, String... modules) throws SQLException {
    Moto.start();
    CloudDb c = new CloudDb(db, keys);
    c.rows("SELECT * FROM iasql_install('aws_account')");
    c.exec("INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)", keys.accessKeyId(),
        keys.secretAccessKey());
    if (modules.length > 0) {
      c.rows("SELECT * FROM iasql_install(VARIADIC ?)", (Object) modules);
    }
    return c;
  }

  TestDatabase database() {
    return db;
  }

  Connection tenant() {
    return tenant;
  }

  List<Map<String, Object>> apply() throws SQLException {
    return rows("SELECT * FROM iasql_apply()");
  }

  List<Map<String, Object>> previewApply() throws SQLException {
    return rows("SELECT * FROM iasql_preview_apply()");
  }

  List<Map<String, Object>> sync() throws SQLException {
    return rows("SELECT * FROM iasql_sync()");
  }

  List<Map<String, Object>> previewSync() throws SQLException {
    return rows("SELECT * FROM iasql_preview_sync()");
  }

  List<Map<String, Object>> rows(String sql, Object... args) throws SQLException {
    return Sql.rows(tenant, sql, args);
  }

  Object value(String sql, Object... args) throws SQLException {
    return Sql.value(tenant, sql, args);
  }

  void exec(String sql, Object... args) throws SQLException {
    Sql.exec(tenant, sql, args);
  }

  /** Enables a region besides the default one. */
  void enable(String region) throws SQLException {
    exec("UPDATE aws_regions SET is_enabled = true WHERE region = ?", region);
  }

  /** The account straight, past the engine. */
  Ec2Client ec2(String region) {
    Ec2Client c = MotoEc2.client(keys, region);
    clients.add(c);
    return c;
  }

  @Override
  public void close() throws SQLException {
    clients.forEach(Ec2Client::close);
    tenant.close();
  }
}
