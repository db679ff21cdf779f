package dev.iasql.aws.iasql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import dev.iasql.testkit.TestDatabases;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;

/**
 * IaSQL v0.0.20's {@code test/modules/aws-account-integration.ts}, statement by statement in its order, as the tenant
 * against moto, asserting what it asserts. Where a step cannot be expressed here, a comment says why.
 *
 * <p>Its {@code runSql} steps went through IaSQL's REST API; here they are the same statements on the tenant's
 * connection. {@code test/common/*} is {@link CommonTest}.
 */
@ExtendWith(IasqlExtension.class)
class AwsAccountIntegrationTest {
  /** IaSQL ran it with {@code AWS_REGION} from the environment; any region but the fallback us-east-1 will do. */
  private static final String AWS_REGION = "us-west-2";

  @Test
  void awsAccountIntegration(TestDatabase db, TestDatabases dbs) throws Exception {
    Moto.Keys keys = Moto.start().account();
    try (Connection c = db.tenant()) {
      // 'installs the aws_account module'
      Sql.rows(c, "SELECT * FROM iasql_install('aws_account')");
      // 'inserts aws credentials'
      Sql.exec(c, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
          keys.accessKeyId(), keys.secretAccessKey());
      // 'runSql segue: confirms bad sql queries return an error string' (and 'by statement')
      assertThat(Sql.failure(c, "SELECT * FROM foo").getSQLState()).isEqualTo("42P01");
      // 'runSql segue: confirms good sql queries return an array of records' (and 'by statement')
      assertThat(Sql.rows(c, "SELECT * FROM aws_credentials").get(0)).containsEntry("access_key_id",
          keys.accessKeyId());
      // 'runSql segue: confirms multiple sql queries returns an array of arrays of records' (and 'by statements')
      assertThat((String) Sql.rows(c, "SELECT * FROM iasql_module").get(0).get("name")).contains("@");
      assertThat(Sql.rows(c, "SELECT * FROM iasql_help()")).isNotEmpty();
      // 'inserts a second, useless row into the aws_credentials table'
      Sql.exec(c, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES ('fake', 'creds')");
      // 'does absolutely nothing when you apply this'
      assertThat(Sql.rows(c, "SELECT * FROM iasql_apply()")).isEmpty();
      // 'selects a default region'
      Sql.exec(c, "UPDATE aws_regions SET is_default = TRUE WHERE region = ?", AWS_REGION);
      // 'confirms that the default region was set'
      assertThat(Sql.rows(c, "SELECT * FROM aws_regions WHERE is_default = TRUE")).hasSize(1);
      // 'tries to set a second default region'
      PSQLException second = Sql.failure(c, "UPDATE aws_regions SET is_default = TRUE WHERE region = 'us-east-1'");
      assertThat(second.getSQLState()).as("one default: a unique index, where IaSQL had a trigger").isEqualTo("23505");
      // 'confirms that the default region was not changed'
      List<Map<String, Object>> defaults = Sql.rows(c, "SELECT * FROM aws_regions WHERE is_default = TRUE");
      assertThat(defaults).hasSize(1);
      assertThat(defaults.get(0)).containsEntry("region", AWS_REGION);
      // 'updates the default region with the handy `default_aws_region` function'
      assertThat(Sql.rows(c, "SELECT * FROM default_aws_region('us-east-1')"))
          .containsExactly(Map.of("default_aws_region", "us-east-1"));
      // 'clears out the default region'
      Sql.exec(c, "UPDATE aws_regions SET is_default = false");
      // 'confirms the `default_aws_region` still returns a default region'
      assertThat(Sql.rows(c, "SELECT * FROM default_aws_region()"))
          .containsExactly(Map.of("default_aws_region", "us-east-1"));
      // 'updates the default region again'
      assertThat(Sql.rows(c, "SELECT * FROM default_aws_region('us-east-1')"))
          .containsExactly(Map.of("default_aws_region", "us-east-1"));
      // 'stops the worker for all dbs', 'starts a worker for each db': an engine that starts serves the databases
      // that exist, tested in engine-functions' EngineStartTest; one engine serves the whole test JVM here.
      // 'does absolutely nothing when you sync this'
      Sql.rows(c, "SELECT * FROM iasql_sync()");
      // 'does absolutely nothing when you preview this'
      assertThat(Sql.rows(c, "select iasql_preview_apply()")).isEmpty();
      // 'removes the useless row'
      Sql.exec(c, "DELETE FROM aws_credentials WHERE access_key_id = 'fake'");
      // 'returns records when calling iasql_help'
      assertThat(Sql.rows(c, "SELECT * FROM iasql_help()")).isNotEmpty();
    }
    // 'deletes the test db': the extension drops it after the test.
    // 'creates a new test db using the oldest version via trickery'
    TestDatabase oldest = dbs.createAt(ReleaseCatalog.V0_0_18);
    try (Connection c = oldest.tenant()) {
      // 'confirms the version is the oldest version'
      List<Map<String, Object>> names = Sql.rows(c, "SELECT name FROM iasql_module LIMIT 1");
      assertThat(names).hasSize(1);
      assertThat(((String) names.get(0).get("name")).split("@")[1]).isEqualTo(ReleaseCatalog.V0_0_18);
    }
    // 'updates the iasql_* modules to pretend to be an ancient version', then install and apply fail with
    // 'Unsupported version': a tenant cannot write iasql_module here (platform tables are read-only to it), and a
    // database's release is the metadata database's record, not that row. A database at a release this engine does
    // not serve is refused with IQ102 by every call but iasql_upgrade(): UpgradeTest.
  }
}
