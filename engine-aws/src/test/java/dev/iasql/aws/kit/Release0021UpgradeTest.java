package dev.iasql.aws.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import dev.iasql.testkit.TestDatabases;
import java.sql.Connection;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Release 0.0.21 (the first with a kit module) is reached from every older release in place: from 0.0.20 with no
 * schema change, from 0.0.18 through 0.0.20's conversion; rows, applied or not, survive, and aws_cloudwatch installs.
 */
@ExtendWith(IasqlExtension.class)
class Release0021UpgradeTest {
  private static final String REGION = "us-east-1";

  @Test
  void from0020KeepsEveryRowAndOffersTheNewModule(TestDatabases dbs) throws Exception {
    Moto.Keys keys = Moto.start().account();
    TestDatabase db = dbs.createAt(ReleaseCatalog.V0_0_20);
    String pending = "pending-" + UUID.randomUUID();
    try (Connection t = db.tenant()) {
      Sql.rows(t, "SELECT * FROM iasql_install('aws_account')");
      Sql.exec(t, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)", keys.accessKeyId(),
          keys.secretAccessKey());
      Sql.rows(t, "SELECT * FROM iasql_install('aws_security_group')");
      assertThat(Sql.failure(t, "SELECT * FROM iasql_install('aws_cloudwatch')").getMessage())
          .as("0.0.20 stays as it was: no aws_cloudwatch").contains("aws_cloudwatch");
      Sql.exec(t, "INSERT INTO security_group (description, group_name) VALUES ('not applied yet', ?)", pending);
      long groups = (Long) Sql.value(t, "SELECT count(*) FROM security_group");

      assertThat((String) Sql.value(t, "SELECT iasql_upgrade()")).contains("0.0.20 to 0.0.21");
      assertThat(Sql.rows(t, "SELECT module_version FROM iasql_modules_installed()"))
          .extracting(r -> r.get("module_version")).containsOnly(ReleaseCatalog.V0_0_21);
      assertThat(Sql.value(t, "SELECT count(*) FROM security_group")).isEqualTo(groups);
      assertThat(Sql.value(t, "SELECT group_id FROM security_group WHERE group_name = ?", pending)).isNull();

      Sql.rows(t, "SELECT * FROM iasql_install('aws_cloudwatch')");
      Sql.rows(t, "SELECT * FROM iasql_apply()");
      assertThat(Sql.value(t, "SELECT group_id FROM security_group WHERE group_name = ?", pending))
          .as("applied at the new release").isNotNull();
      assertThat(Sql.value(t, "SELECT iasql_upgrade()")).isEqualTo("Up to date");
    }
  }

  @Test
  void from0018ChainsThroughTheConversionOf0020(TestDatabases dbs) throws Exception {
    Moto.Keys keys = Moto.start().account();
    TestDatabase db = dbs.createAt(ReleaseCatalog.V0_0_18);
    try (Connection t = db.tenant()) {
      Sql.rows(t, "SELECT * FROM iasql_install('aws_account')");
      Sql.exec(t, "INSERT INTO aws_account (access_key_id, secret_access_key, region) VALUES (?, ?, ?)",
          keys.accessKeyId(), keys.secretAccessKey(), REGION);
      Sql.rows(t, "SELECT * FROM iasql_install('aws_vpc')");

      assertThat((String) Sql.value(t, "SELECT iasql_upgrade()")).contains("0.0.18 to 0.0.21");
      assertThat(Sql.value(t, "SELECT * FROM iasql_version()")).isEqualTo(ReleaseCatalog.V0_0_21);
      assertThat(Sql.value(t, "SELECT access_key_id FROM aws_credentials")).isEqualTo(keys.accessKeyId());
      assertThat(Sql.value(t, "SELECT default_aws_region()")).isEqualTo(REGION);
      assertThat(Sql.value(t, "SELECT count(*) FROM vpc WHERE is_default AND region = ?", REGION)).isEqualTo(1L);
      Sql.rows(t, "SELECT * FROM iasql_install('aws_cloudwatch')");
      assertThat(Sql.rows(t, "SELECT * FROM iasql_preview_apply()")).isEmpty();
    }
  }
}
