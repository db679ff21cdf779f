package dev.iasql.aws.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  /**
   * A tenant's open transaction holds aws_credentials locked: the engine used to wait for it forever, holding one of
   * the shared workers; now it gives up after its lock timeout with an error naming the table.
   */
  @Test
  void credentialsLockedInATenantsOpenTransactionAreAClearErrorNotAStuckWorker(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account()); Connection holder = db.tenant()) {
      holder.setAutoCommit(false);
      Sql.exec(holder, "LOCK TABLE aws_credentials IN ACCESS EXCLUSIVE MODE");
      long started = System.nanoTime();
      CompletableFuture<PSQLException> sync = CompletableFuture.supplyAsync(
          () -> assertThrows(PSQLException.class, c::sync));
      PSQLException e;
      try {
        e = sync.get(60, TimeUnit.SECONDS);
      } catch (TimeoutException hang) {
        holder.rollback(); // lets the stuck call finish
        throw new AssertionError("iasql_sync() waited 60 s for the tenant's lock on aws_credentials", hang);
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(e.getSQLState()).isEqualTo("IQ404");
      assertThat(e.getMessage()).contains("table public.aws_credentials (AccessExclusiveLock");
      assertThat(e.getServerErrorMessage().getHint()).contains("COMMIT");
      assertThat(millis).as("ms until the error").isLessThan(30_000);
      holder.rollback();
      c.sync();
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
