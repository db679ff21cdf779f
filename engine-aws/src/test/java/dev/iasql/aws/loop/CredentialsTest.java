package dev.iasql.aws.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;

/** Bad credentials: a clear error, nothing half installed, no secret anywhere; good ones then work. */
@ExtendWith(IasqlExtension.class)
class CredentialsTest {
  @Test
  void invalidKeysFailCleanlyAndFixedKeysWork(TestDatabase db) throws Exception {
    Moto.Keys bad = Moto.invalidKeys();
    try (CloudDb c = CloudDb.connect(db, bad)) {
      PSQLException e = assertThrows(PSQLException.class,
          () -> c.rows("SELECT * FROM iasql_install('aws_security_group')"));
      assertThat(e.getSQLState()).isEqualTo("IQ501");
      assertThat(e.getMessage()).contains("AuthFailure").doesNotContain(bad.secretAccessKey());
      assertThat(c.rows("SELECT * FROM iasql_modules_installed()")).extracting(r -> r.get("module_name"))
          .as("nothing half installed").doesNotContain("aws_vpc", "aws_security_group");
      assertThat(c.value("SELECT to_regclass('public.vpc') IS NULL")).isEqualTo(true);

      PSQLException applyError = assertThrows(PSQLException.class, c::sync);
      assertThat(applyError.getSQLState()).isEqualTo("IQ501");

      Moto.Keys good = Moto.start().account();
      c.exec("UPDATE aws_credentials SET access_key_id = ?, secret_access_key = ?", good.accessKeyId(),
          good.secretAccessKey());
      c.rows("SELECT * FROM iasql_install('aws_security_group')");
      assertThat(c.value("SELECT count(*) FROM vpc WHERE is_default")).isEqualTo(1L);

      assertThat(c.rows("SELECT change::text AS change FROM iasql_audit_log WHERE table_name = 'aws_credentials'"))
          .extracting(r -> (String) r.get("change"))
          .allSatisfy(change -> assertThat(change).doesNotContain(bad.secretAccessKey())
              .doesNotContain(good.secretAccessKey()));
      assertThat(c.rows("SELECT coalesce(params::text, '') || coalesce(output::text, '') || coalesce(err::text, '')"
          + " AS logged FROM iasql_operation")).extracting(r -> (String) r.get("logged"))
          .allSatisfy(logged -> assertThat(logged).doesNotContain(bad.secretAccessKey())
              .doesNotContain(good.secretAccessKey()));
    }
  }

  @Test
  void withoutCredentialsTheAccountInstallsAndCloudModulesSaySo(TestDatabase db) throws Exception {
    try (var tenant = db.tenant()) {
      PSQLException none = assertThrows(PSQLException.class,
          () -> dev.iasql.testkit.Sql.rows(tenant, "SELECT * FROM iasql_apply()"));
      assertThat(none.getSQLState()).as("no account module at all").isEqualTo("IQ504");
      assertThat(none.getServerErrorMessage().getHint()).contains("iasql_install('aws_account')");
      dev.iasql.testkit.Sql.rows(tenant, "SELECT * FROM iasql_install('aws_account')");
      dev.iasql.testkit.Sql.rows(tenant, "SELECT * FROM iasql_install('aws_vpc')"); // tables wait for the keys
      PSQLException e = assertThrows(PSQLException.class,
          () -> dev.iasql.testkit.Sql.rows(tenant, "SELECT * FROM iasql_sync()"));
      assertThat(e.getSQLState()).isEqualTo("IQ501");
      assertThat(e.getMessage()).contains("aws_credentials");
    }
  }
}
