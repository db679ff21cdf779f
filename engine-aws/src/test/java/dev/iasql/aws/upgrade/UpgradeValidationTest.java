package dev.iasql.aws.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.Engine;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import dev.iasql.testkit.TestDatabases;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;

/**
 * The upgrade records the new release only after checking that the database's tables are that release's: a database
 * whose tables differ (here, a column nobody's release has) is left at its old release, refused, until an upgrade
 * that validates.
 */
@ExtendWith(IasqlExtension.class)
class UpgradeValidationTest {
  /** The release new databases get, which an upgrade moves to. */
  private static final String LATEST = ReleaseCatalog.standard().latest();


  @Test
  void tablesThatAreNotTheNewReleasesAreNotRecordedAsIt(TestDatabases dbs, Engine engine) throws Exception {
    Moto.Keys keys = Moto.start().account();
    TestDatabase db = dbs.createAt(ReleaseCatalog.V0_0_18);
    try (Connection t = db.tenant()) {
      Sql.rows(t, "SELECT * FROM iasql_install('aws_account')");
      Sql.exec(t, "INSERT INTO aws_account (access_key_id, secret_access_key, region) VALUES (?, ?, 'us-east-1')",
          keys.accessKeyId(), keys.secretAccessKey());
      Sql.rows(t, "SELECT * FROM iasql_install('aws_vpc')");
    }
    try (Connection admin = db.admin()) {
      Sql.exec(admin, "ALTER TABLE public.subnet ADD COLUMN rogue integer");
    }
    try (Connection t = db.tenant()) {
      PSQLException e = Sql.failure(t, "SELECT iasql_upgrade()");
      assertThat(e.getSQLState()).isEqualTo("IQ104");
      assertThat(e.getServerErrorMessage().getDetail()).contains("subnet.rogue integer");
    }
    assertThat(engine.listDatabases()).filteredOn(d -> d.name().equals(db.name()))
        .extracting(d -> d.release()).as("not recorded at the new release").containsExactly(ReleaseCatalog.V0_0_18);

    try (Connection admin = db.admin()) {
      Sql.exec(admin, "ALTER TABLE public.subnet DROP COLUMN rogue");
    }
    try (Connection t = db.tenant()) {
      assertThat((String) Sql.value(t, "SELECT iasql_upgrade()")).contains("to " + LATEST);
      assertThat(Sql.value(t, "SELECT * FROM iasql_version()")).isEqualTo(LATEST);
    }
  }
}
