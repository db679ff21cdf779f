package dev.iasql.aws.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.aws.vpc.AwsTestDb;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;

/**
 * {@code default_aws_region()} and {@code default_aws_region(text)}, as the tenant, on the regions moto lists (only a
 * region the cloud listed can be the default).
 */
@ExtendWith(IasqlExtension.class)
class DefaultRegionFunctionTest {

  /** aws_account with moto's keys and the regions a sync loaded from moto (us-east-1 enabled, no default row). */
  private static Connection installedWithRegions(TestDatabase db) throws Exception {
    Connection c = db.tenant();
    AwsTestDb.installAwsAccount(c);
    loadRegions(c);
    return c;
  }

  private static void loadRegions(Connection c) throws Exception {
    Moto.Keys keys = Moto.start().account();
    Sql.rows(c, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)", keys.accessKeyId(),
        keys.secretAccessKey());
    Sql.rows(c, "SELECT * FROM iasql_sync()");
  }

  /** region:is_default:is_enabled of the rows of the three regions these tests use, in order. */
  private static List<String> table(Connection c) throws Exception {
    return Sql.rows(c, "SELECT region, is_default, is_enabled FROM aws_regions"
        + " WHERE region IN ('eu-west-1', 'us-east-1', 'us-west-2') ORDER BY region").stream()
        .map(DefaultRegionFunctionTest::row).toList();
  }

  private static String row(Map<String, Object> r) {
    return r.get("region") + ":" + r.get("is_default") + ":" + r.get("is_enabled");
  }

  @Test
  void fallsBackToUsEast1WhenNoRowIsTheDefault(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      AwsTestDb.installAwsAccount(c);
      assertThat(Sql.value(c, "SELECT default_aws_region()")).as("empty table").isEqualTo("us-east-1");
      PSQLException e = Sql.failure(c, "INSERT INTO aws_regions (region, is_default) VALUES ('eu-west-1', true)");
      assertThat(e.getSQLState()).as("not listed by the cloud yet: no sync has run").isEqualTo("IQ505");
      loadRegions(c);
      assertThat(Sql.value(c, "SELECT default_aws_region()")).as("no default row").isEqualTo("us-east-1");
      Sql.rows(c, "UPDATE aws_regions SET is_default = true WHERE region = 'eu-west-1'");
      assertThat(Sql.value(c, "SELECT default_aws_region()")).as("a default row").isEqualTo("eu-west-1");
      Sql.rows(c, "UPDATE aws_regions SET is_default = false");
      assertThat(Sql.value(c, "SELECT default_aws_region()")).as("no default row").isEqualTo("us-east-1");
    }
  }

  @Test
  void settingTheDefaultKeepsExactlyOneAndEnablesIt(TestDatabase db) throws Exception {
    try (Connection c = installedWithRegions(db)) {
      Sql.rows(c, "UPDATE aws_regions SET is_enabled = false");
      assertThat(Sql.value(c, "SELECT default_aws_region('eu-west-1')")).isEqualTo("eu-west-1");
      assertThat(table(c)).containsExactly("eu-west-1:true:true", "us-east-1:false:false", "us-west-2:false:false");
      assertThat(Sql.value(c, "SELECT default_aws_region()")).isEqualTo("eu-west-1");

      assertThat(Sql.value(c, "SELECT default_aws_region('us-west-2')")).as("moves it").isEqualTo("us-west-2");
      assertThat(table(c)).as("the old default stays enabled")
          .containsExactly("eu-west-1:false:true", "us-east-1:false:false", "us-west-2:true:true");
      assertThat(Sql.value(c, "SELECT default_aws_region('us-west-2')")).as("again: no-op").isEqualTo("us-west-2");
      assertThat(Sql.value(c, "SELECT count(*) FROM aws_regions WHERE is_default")).isEqualTo(1L);
    }
  }

  @Test
  void unknownNullOrEmptyRegionFailsAndChangesNothing(TestDatabase db) throws Exception {
    try (Connection c = installedWithRegions(db)) {
      Sql.value(c, "SELECT default_aws_region('eu-west-1')");
      List<String> before = table(c);
      for (String[] call : Arrays.asList(new String[] {"mars-north-1", "'mars-north-1'"},
          new String[] {null, "NULL"}, new String[] {"", "''"})) {
        PSQLException e = Sql.failure(c, "SELECT default_aws_region(?::text)", call[0]);
        assertThat(e.getSQLState()).as(call[1]).isEqualTo("IQ505");
        assertThat(e.getServerErrorMessage().getMessage()).as(call[1]).isEqualTo("unknown AWS region " + call[1]);
        assertThat(table(c)).as(call[1]).isEqualTo(before);
      }
      assertThat(Sql.value(c, "SELECT default_aws_region()")).isEqualTo("eu-west-1");
    }
  }

  @Test
  void aSecondDefaultRowIsRefusedButTheDefaultRowCanBeUpdated(TestDatabase db) throws Exception {
    try (Connection c = installedWithRegions(db)) {
      Sql.rows(c, "UPDATE aws_regions SET is_enabled = true WHERE region = 'us-west-2'");
      Sql.value(c, "SELECT default_aws_region('eu-west-1')");
      PSQLException e = Sql.failure(c, "UPDATE aws_regions SET is_default = true WHERE region = 'us-east-1'");
      assertThat(e.getSQLState()).as("unique_violation").isEqualTo("23505");
      assertThat(e.getMessage()).contains("aws_regions_one_default");
      assertThat(table(c)).containsExactly("eu-west-1:true:true", "us-east-1:false:true", "us-west-2:false:true");

      Sql.rows(c, "UPDATE aws_regions SET is_enabled = false WHERE region = 'eu-west-1'");
      assertThat(table(c)).containsExactly("eu-west-1:true:false", "us-east-1:false:true", "us-west-2:false:true");
      Sql.rows(c, "UPDATE aws_regions SET is_default = true, is_enabled = true WHERE region = 'eu-west-1'");
      assertThat(table(c)).containsExactly("eu-west-1:true:true", "us-east-1:false:true", "us-west-2:false:true");
    }
  }
}
