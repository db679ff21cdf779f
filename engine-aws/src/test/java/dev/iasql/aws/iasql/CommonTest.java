package dev.iasql.aws.iasql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * IaSQL v0.0.20's {@code test/common/*.ts} that run SQL, statement by statement in their order, asserting what they
 * assert. The others are re-expressed where the code they test lives: {@code dep-sorting.ts} in engine-core's
 * ModuleCatalogTest (install order), {@code aws-diff.ts} in engine-core's kit JsonMeaningTest (policies compared by
 * meaning).
 *
 * <p>{@code basic-db.ts} ran IaSQL's TypeORM migrations and loaded every platform entity; here the platform tables are
 * created with the database and read by the tenant. {@code metadata.ts} tested IaSQL's hosted service's user accounts
 * ({@code iasql_user}, {@code iasql_user_databases}) and its per-database operation and record counters, which this
 * engine has no equivalent of (no user accounts: the cluster's admin manages databases; counts are a query on the
 * database itself): its database row steps are kept. {@code simple-integration.ts} called IaSQL's REST endpoints
 * connect, export, list and disconnect; here they are {@code iasql_connect}, {@code iasql_db_list} and
 * {@code iasql_disconnect} in {@code iasql_metadata} (and {@code ./iasql db create|list|drop}, ServeAndDbTest); export
 * was IaSQL's {@code pg_dump} of the database, which is {@code pg_dump} on the URL {@code iasql_connect} returns here.
 */
@ExtendWith(IasqlExtension.class)
class CommonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code total-failure.ts}: every failing engine call leaves one operation row that says why. */
  @Test
  void totalFailure(TestDatabase db) throws Exception {
    Moto.Keys keys = Moto.start().account();
    try (Connection c = db.tenant()) {
      // 'fails to install fake module', 'check install error'
      assertThat(Sql.failure(c, "select * from iasql_install('aws_fake')").getSQLState()).isNotNull();
      assertLastOperationFailed(c, "INSTALL");
      // 'fails to uninstall fake module', 'check uninstall error'
      assertThat(Sql.failure(c, "select * from iasql_uninstall('aws_fake')").getSQLState()).isNotNull();
      assertLastOperationFailed(c, "UNINSTALL");
      // 'installs the aws_account module', 'inserts aws credentials'
      Sql.rows(c, "SELECT * FROM iasql_install('aws_account')");
      Sql.exec(c, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
          keys.accessKeyId(), keys.secretAccessKey());
      // 'installs the ec2 module (and others needed)': we have no aws_ec2; its dependencies are installed.
      Sql.rows(c, "SELECT * FROM iasql_install('aws_security_group', 'aws_vpc')");
      // 'fails to uninstall `aws_account`'
      assertThat(Sql.failure(c, "SELECT * FROM iasql_uninstall('aws_account')").getMessage())
          .contains("aws_account");
      // 'insert a new instance with wrong values': with no instance table, a subnet the cloud refuses (its block is
      // outside its VPC's), inserted in one transaction with a valid row, as the original's two instances were.
      String vpc = (String) Sql.value(c, "SELECT cidr_block::text FROM vpc WHERE is_default LIMIT 1");
      assertThat(vpc).as("moto's default VPC").isNotNull();
      c.setAutoCommit(false);
      Sql.exec(c, "INSERT INTO security_group (description, group_name) VALUES ('total failure', 'tf-ok')");
      Sql.exec(c, "INSERT INTO subnet (availability_zone, vpc_id, cidr_block) SELECT availability_zone, vpc_id,"
          + " '10.199.0.0/24' FROM subnet WHERE vpc_id = (SELECT id FROM vpc WHERE is_default LIMIT 1) LIMIT 1");
      c.commit();
      c.setAutoCommit(true);
      // 'check number of instances'
      assertThat(Sql.rows(c, "SELECT * FROM security_group WHERE group_name = 'tf-ok'")).hasSize(1);
      // 'fails to apply', 'check apply error'
      assertThat(Sql.failure(c, "select * from iasql_apply()").getMessage()).contains("subnet");
      assertLastOperationFailed(c, "APPLY");
      // 'fails to upgrade database (as it is up-to-date already)', 'check upgrade message': the test ignores a failure,
      // but IaSQL's upgrade() answered 'Up to date' without one, as ours does.
      assertThat((String) Sql.value(c, "select * from iasql_upgrade()")).isEqualTo("Up to date");
      Map<String, Object> upgrade = lastOperation(c);
      assertThat(upgrade.get("optype")).isEqualTo("UPGRADE");
      assertThat(upgrade.get("output").toString()).isNotEmpty();
    }
  }

  /** {@code basic-db.ts}: a new database has the platform's tables in public, and each can be queried. */
  @Test
  void basicDb(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      // 'should run the migrations correctly'
      List<Map<String, Object>> tables =
          Sql.rows(c, "select tablename from pg_catalog.pg_tables where schemaname = 'public'");
      assertThat(tables).isNotEmpty();
      // 'should query with the entities correctly': every platform table, as the tenant
      for (Map<String, Object> t : tables) {
        Sql.rows(c, "SELECT count(*) FROM public." + quote((String) t.get("tablename")));
      }
      assertThat(tables).extracting(t -> t.get("tablename"))
          .contains("iasql_module", "iasql_tables", "iasql_dependencies", "iasql_operation");
    }
  }

  /** {@code metadata.ts}'s database row steps, and {@code simple-integration.ts}'s connect, list and disconnect. */
  @Test
  void metadataAndSimpleIntegration(Engine engine, PostgresCluster cluster) throws Exception {
    String name = "metadatatest_" + ProcessHandle.current().pid();
    try (Connection meta = DriverManager.getConnection(cluster.jdbcUrl(Engine.METADATA_DATABASE),
        cluster.adminUser(), cluster.adminPassword())) {
      // 'no database should exist'
      assertThat(Sql.rows(meta, "SELECT * FROM iasql_db_list() WHERE name = ?", name)).isEmpty();
      // 'creates a new test db' / 'should run new correctly'
      Map<String, Object> created = Sql.rows(meta, "SELECT * FROM iasql_connect(?)", name).get(0);
      // 'check row in iasql database table exists' / 'should run list correctly'
      assertThat(Sql.rows(meta, "SELECT * FROM iasql_db_list() WHERE name = ?", name)).hasSize(1);
      // 'installs the aws_account module', 'inserts aws credentials', 'apply updates db counts': the counts are the
      // database's own operation log here.
      try (Connection tenant = DriverManager.getConnection(cluster.jdbcUrl(name), (String) created.get("pg_user"),
          (String) created.get("pg_password"))) {
        Sql.rows(tenant, "SELECT * FROM iasql_install('aws_account')");
        Moto.Keys keys = Moto.start().account();
        Sql.exec(tenant, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
            keys.accessKeyId(), keys.secretAccessKey());
        Sql.rows(tenant, "SELECT * FROM iasql_apply()");
        assertThat(Sql.rows(tenant, "SELECT optype FROM iasql_operation ORDER BY id"))
            .extracting(r -> r.get("optype")).containsExactly("INSTALL", "APPLY");
      }
      // 'deletes the test db' / 'should run remove correctly'
      Sql.rows(meta, "SELECT * FROM iasql_disconnect(?)", name);
      // 'check there is no row in iasql database'
      assertThat(Sql.rows(meta, "SELECT * FROM iasql_db_list() WHERE name = ?", name)).isEmpty();
    }
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static Map<String, Object> lastOperation(Connection c) throws Exception {
    List<Map<String, Object>> rows = Sql.rows(c, "SELECT optype, output::text AS output, err::text AS err"
        + " FROM iasql_operation ORDER BY end_date DESC LIMIT 1");
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }

  private static void assertLastOperationFailed(Connection c, String optype) throws Exception {
    Map<String, Object> row = lastOperation(c);
    assertThat(row.get("optype")).isEqualTo(optype);
    JsonNode err = JSON.readTree((String) row.get("err"));
    assertThat(err.has("message")).as("err %s has a message", row.get("err")).isTrue();
  }
}
