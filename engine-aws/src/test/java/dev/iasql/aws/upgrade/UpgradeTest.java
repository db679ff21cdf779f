package dev.iasql.aws.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.aws.MotoEc2;
import dev.iasql.engine.Call;
import dev.iasql.engine.DatabaseName;
import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import dev.iasql.testkit.TestDatabases;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * The test the v0.0.19 postmortem asked for: a database at the oldest release, in use, upgraded in place, and still
 * fully usable; plus an upgrade killed half way, calls made during it, and databases with little or nothing in them.
 */
@ExtendWith(IasqlExtension.class)
class UpgradeTest {
  /** The release new databases get, which an upgrade moves to. */
  private static final String LATEST = ReleaseCatalog.standard().latest();
  /** Not us-east-1: the fallback must not hide a lost region. */
  private static final String REGION = "eu-west-2";

  @Test
  void theOldestReleaseMovesToTheLatestKeepingEveryRow(TestDatabases dbs, Engine engine) throws Exception {
    Moto.Keys keys = Moto.start().account();
    TestDatabase db = dbs.createAt(ReleaseCatalog.V0_0_18);
    String applied = "applied-" + UUID.randomUUID();
    String pending = "pending-" + UUID.randomUUID();
    try (Connection t = db.tenant()) {
      assertThat(Sql.value(t, "SELECT * FROM iasql_version()")).isEqualTo(ReleaseCatalog.V0_0_18);
      Sql.rows(t, "SELECT * FROM iasql_install('aws_account')");
      Sql.exec(t, "INSERT INTO aws_account (access_key_id, secret_access_key, region) VALUES (?, ?, ?)",
          keys.accessKeyId(), keys.secretAccessKey(), REGION);
      Sql.rows(t, "SELECT * FROM iasql_install('aws_vpc', 'aws_security_group')");
      assertThat(Sql.value(t, "SELECT count(*) FROM vpc WHERE is_default AND region = ?", REGION)).isEqualTo(1L);
      Sql.rows(t, "SELECT * FROM iasql_apply()");
      Sql.exec(t, "INSERT INTO security_group (description, group_name) VALUES ('made at 0.0.18', ?)", applied);
      Sql.rows(t, "SELECT * FROM iasql_apply()");
      // Left unapplied on purpose: the upgrade must keep it, and apply must create it afterwards.
      Sql.exec(t, "INSERT INTO security_group (description, group_name) VALUES ('not applied yet', ?)", pending);
      Sql.exec(t, "INSERT INTO security_group_rule (is_egress, ip_protocol, from_port, to_port, cidr_ipv4,"
          + " security_group_id) SELECT false, 'tcp', 22, 22, '10.0.0.0/8', id FROM security_group"
          + " WHERE group_name = ?", pending);
      // 0.0.18 kept IaSQL's original rule CHECK: no ports on a rule whose source is a group.
      String groupSourceRule = "INSERT INTO security_group_rule (is_egress, ip_protocol, from_port, to_port,"
          + " security_group_id, source_security_group) SELECT false, 'tcp', 5432, 5432, s.id, s.id"
          + " FROM security_group s WHERE s.group_name = ?";
      assertThat(Sql.failure(t, groupSourceRule, pending).getSQLState()).isEqualTo("23514");
      long auditBefore = (Long) Sql.value(t, "SELECT count(*) FROM iasql_audit_log");
      List<Map<String, Object>> accountHistory = Sql.rows(t, "SELECT id, change::text AS change FROM iasql_audit_log"
          + " WHERE table_name = 'aws_account' ORDER BY id");
      assertThat(accountHistory).isNotEmpty();

      long lastOp = ((Number) Sql.value(t, "SELECT max(id) FROM iasql_operation")).longValue();
      String message = (String) Sql.value(t, "SELECT iasql_upgrade()");
      assertThat(message).contains("upgraded from release 0.0.18 to " + LATEST);
      assertThat(Sql.rows(t, "SELECT optype, status FROM iasql_operation WHERE id > ?", lastOp))
          .as("the upgrade, its cloud step included, leaves one row").containsExactly(
              Map.of("optype", "UPGRADE", "status", "done"));

      assertThat(Sql.rows(t, "SELECT module_name, module_version FROM iasql_modules_installed()"))
          .extracting(r -> r.get("module_version")).containsOnly(LATEST);
      assertThat(Sql.value(t, "SELECT * FROM iasql_version()")).isEqualTo(LATEST);
      assertThat(Sql.value(t, "SELECT to_regclass('public.aws_account') IS NULL")).isEqualTo(true);
      assertThat(Sql.rows(t, "SELECT access_key_id, secret_access_key FROM aws_credentials"))
          .containsExactly(Map.of("access_key_id", keys.accessKeyId(), "secret_access_key", keys.secretAccessKey()));
      assertThat(Sql.value(t, "SELECT default_aws_region()")).isEqualTo(REGION);
      assertThat(Sql.rows(t, "SELECT region FROM aws_regions WHERE is_enabled")).extracting(r -> r.get("region"))
          .as("the old region is the one enabled default").containsExactly(REGION);
      assertThat((Long) Sql.value(t, "SELECT count(*) FROM aws_regions")).as("the list came from the cloud")
          .isGreaterThan(20);
      assertThat(Sql.value(t, "SELECT group_id FROM security_group WHERE group_name = ?", pending))
          .as("the unapplied row is still there, still unapplied").isNull();
      assertThat(Sql.value(t, "SELECT count(*) FROM security_group_rule r JOIN security_group s"
          + " ON s.id = r.security_group_id WHERE s.group_name = ?", pending)).isEqualTo(1L);
      assertThat((Long) Sql.value(t, "SELECT count(*) FROM iasql_audit_log")).isGreaterThanOrEqualTo(auditBefore);
      assertThat(Sql.rows(t, "SELECT id, change::text AS change FROM iasql_audit_log WHERE table_name ="
          + " 'aws_account' ORDER BY id")).as("the audit history is intact").isEqualTo(accountHistory);

      assertThat(Sql.rows(t, "SELECT conrelid::regclass::text AS t FROM pg_constraint WHERE contype = 'f'"
          + " AND confrelid = 'aws_regions'::regclass ORDER BY 1")).extracting(r -> r.get("t"))
          .as("0.0.20's foreign keys to aws_regions are there").containsExactly("availability_zone",
              "security_group", "security_group_rule", "subnet", "vpc");
      Sql.exec(t, groupSourceRule, pending);
      Sql.exec(t, "DELETE FROM security_group_rule WHERE source_security_group IS NOT NULL");
      assertThat(Sql.failure(t, "UPDATE security_group_rule SET from_port = 70000, to_port = 70000").getMessage())
          .as("0.0.22's rules are kept to AWS's port range").contains("security_group_rule_from_port_check");

      // And everything works at the new release.
      Sql.rows(t, "SELECT * FROM iasql_apply()");
      try (Ec2Client ec2 = MotoEc2.client(keys, REGION)) {
        assertThat(ec2.describeSecurityGroups(r -> r.filters(Filter.builder().name("group-name").values(pending)
            .build())).securityGroups()).as("the row left unapplied is applied now").hasSize(1);
      }
      assertThat(Sql.rows(t, "SELECT * FROM iasql_preview_sync()")).isEmpty();
      Sql.rows(t, "SELECT * FROM iasql_uninstall('aws_security_group')");
      Sql.rows(t, "SELECT * FROM iasql_install('aws_security_group')");
      assertThat(Sql.value(t, "SELECT count(*) FROM security_group WHERE group_name IN (?, ?)", applied, pending))
          .isEqualTo(2L);
      Sql.exec(t, "SELECT default_aws_region('us-east-1')");
      assertThat(Sql.value(t, "SELECT iasql_upgrade()")).as("IaSQL's answer").isEqualTo("Up to date");
    }
    assertThat(engine.listDatabases()).filteredOn(d -> d.name().equals(db.name()))
        .extracting(d -> d.release() + "/" + d.upgradeState()).containsExactly(LATEST + "/idle");
  }

  @Test
  void anUpgradeKilledHalfWayRefusesCallsUntilTheNextOneFinishesIt(TestDatabases dbs, Engine engine)
      throws Exception {
    Moto.Keys keys = Moto.start().account();
    TestDatabase db = dbs.createAt(ReleaseCatalog.V0_0_18);
    TestDatabase other = dbs.create();
    try (Connection t = db.tenant(); Connection second = db.tenant(); Connection admin = db.admin();
        Connection watch = db.admin(); Connection otherTenant = other.tenant()) {
      Sql.rows(t, "SELECT * FROM iasql_install('aws_account')");
      Sql.exec(t, "INSERT INTO aws_account (access_key_id, secret_access_key, region) VALUES (?, ?, ?)",
          keys.accessKeyId(), keys.secretAccessKey(), REGION);
      // Hold a lock the upgrade needs (it drops aws_account), so it stops half way where the test can kill it.
      admin.setAutoCommit(false);
      Sql.exec(admin, "LOCK TABLE aws_account IN ACCESS SHARE MODE");
      CompletableFuture<Object> upgrade = CompletableFuture.supplyAsync(() -> {
        try {
          return Sql.value(t, "SELECT iasql_upgrade()");
        } catch (Exception e) {
          return e;
        }
      });
      int pid = awaitBlockedBackend(watch, db.name());
      assertThat(state(engine, db)).isEqualTo("upgrading");

      PSQLException refused = Sql.failure(second, "SELECT * FROM iasql_modules_list()");
      assertThat(refused.getSQLState()).as("a call from SQL during the upgrade").isEqualTo("IQ101");
      assertThatThrownBy(() -> engine.permit(DatabaseName.of(db.name())))
          .as("and from the Java API").isInstanceOfSatisfying(EngineException.class,
              e -> assertThat(e.code().sqlState()).isEqualTo("IQ101"));
      assertThat(Sql.failure(second, "SELECT iasql_refuse_while_upgrading()").getSQLState())
          .as("and SQL that writes state without the engine checks the same lease").isEqualTo("IQ101");
      PSQLException twice = Sql.failure(second, "SELECT iasql_upgrade()");
      assertThat(twice.getSQLState()).as("a second upgrade is refused, not run twice").isEqualTo("IQ101");
      Sql.rows(otherTenant, "SELECT * FROM iasql_install('aws_account')");
      assertThat(Sql.rows(otherTenant, "SELECT * FROM iasql_modules_installed()"))
          .as("other databases are unaffected").extracting(r -> r.get("module_name")).contains("aws_account");

      Sql.exec(watch, "SELECT pg_terminate_backend(?)", pid);
      assertThat(upgrade.get(60, TimeUnit.SECONDS)).as("the killed upgrade reports its failure")
          .isInstanceOf(PSQLException.class);
      admin.rollback();
      assertThat(state(engine, db)).as("the state shows it stopped half way").isEqualTo("upgrading");
      assertThat(Sql.failure(second, "SELECT * FROM iasql_modules_list()").getSQLState()).isEqualTo("IQ101");
      assertThat(Sql.value(second, "SELECT to_regclass('public.aws_account') IS NOT NULL"))
          .as("the schema step rolled back whole").isEqualTo(true);

      assertThat((String) Sql.value(second, "SELECT iasql_upgrade()")).contains("to " + LATEST);
      assertThat(state(engine, db)).isEqualTo("idle");
      assertThat(Sql.value(second, "SELECT access_key_id FROM aws_credentials")).isEqualTo(keys.accessKeyId());
      assertThat(Sql.value(second, "SELECT default_aws_region()")).isEqualTo(REGION);
      assertThat(Sql.rows(second, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
      Sql.exec(second, "SELECT iasql_refuse_while_upgrading()");
      assertThat(Sql.value(second, "SELECT default_aws_region(?)", REGION)).isEqualTo(REGION);
    }
  }

  /**
   * The caller's transaction read the table the upgrade rewrites, then called iasql_upgrade(): each waits for the
   * other, which neither PostgreSQL nor the caller can see (the caller waits for the request, the schema step runs
   * on a session of its own). It hung; now the schema step gives up after the engine's lock timeout, and a later
   * call resumes the upgrade.
   */
  @Test
  void anUpgradeThatNeedsATableTheCallersTransactionReadIsAClearErrorAndResumes(TestDatabases dbs) throws Exception {
    TestDatabase db = dbs.createAt(ReleaseCatalog.V0_0_18);
    try (Connection t = db.tenant()) {
      Sql.rows(t, "SELECT * FROM iasql_install('aws_account')");
      t.setAutoCommit(false);
      Sql.rows(t, "SELECT count(*) FROM aws_account");
      long started = System.nanoTime();
      CompletableFuture<PSQLException> upgrade = CompletableFuture.supplyAsync(
          () -> Sql.failure(t, "SELECT iasql_upgrade()"));
      PSQLException e;
      try {
        e = upgrade.get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException hang) {
        try (Connection admin = db.admin()) {
          Sql.rows(admin, "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
              + " AND pid <> pg_backend_pid() AND state = 'active'");
        }
        throw new AssertionError("iasql_upgrade() and its caller waited for each other for 60 s", hang);
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(e.getSQLState()).isEqualTo("IQ404");
      assertThat(e.getServerErrorMessage().getHint()).contains("COMMIT before the call");
      assertThat(millis).as("ms until the error").isLessThan(30_000);
      t.rollback();
      t.setAutoCommit(true);
      assertThat((String) Sql.value(t, "SELECT iasql_upgrade()")).contains("to " + LATEST);
    }
  }

  @Test
  void aDatabaseWithOnlyTheAccountModuleAndNoKeysUpgradesToo(TestDatabases dbs) throws Exception {
    TestDatabase bare = dbs.createAt(ReleaseCatalog.V0_0_18);
    try (Connection t = bare.tenant()) {
      Sql.rows(t, "SELECT * FROM iasql_install('aws_account')");
      assertThat((String) Sql.value(t, "SELECT iasql_upgrade()")).contains("to " + LATEST);
      assertThat(Sql.value(t, "SELECT count(*) FROM aws_credentials")).isEqualTo(0L);
      assertThat(Sql.value(t, "SELECT count(*) FROM aws_regions")).isEqualTo(0L);
      assertThat(Sql.value(t, "SELECT default_aws_region()")).isEqualTo("us-east-1");
      Moto.Keys keys = Moto.start().account();
      Sql.exec(t, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)", keys.accessKeyId(),
          keys.secretAccessKey());
      Sql.rows(t, "SELECT * FROM iasql_install('aws_vpc')");
      assertThat(Sql.value(t, "SELECT count(*) FROM vpc WHERE is_default")).isEqualTo(1L);
    }
    TestDatabase empty = dbs.createAt(ReleaseCatalog.V0_0_18);
    try (Connection t = empty.tenant()) {
      assertThat((String) Sql.value(t, "SELECT iasql_upgrade()")).contains("to " + LATEST);
      Sql.rows(t, "SELECT * FROM iasql_install('aws_account')");
      assertThat(Sql.rows(t, "SELECT module_version FROM iasql_modules_installed()"))
          .extracting(r -> r.get("module_version")).containsOnly(LATEST);
    }
  }

  @Test
  void aRetiredReleaseIsRefusedButCanStillBeUpgraded(TestDatabases dbs, PostgresCluster cluster) throws Exception {
    TestDatabase db = dbs.createAt(ReleaseCatalog.V0_0_18);
    DatabaseName name = DatabaseName.of(db.name());
    ReleaseCatalog retiring = new ReleaseCatalog(List.of(ReleaseCatalog.V0_0_20), List.of(ReleaseCatalog.V0_0_18));
    try (Engine newer = Engine.configure().postgres(cluster).releases(retiring)
        .discoverExtensions(false).reconcileEvery(Duration.ofHours(1)).build()) {
      assertThatThrownBy(() -> newer.permit(name)).isInstanceOfSatisfying(EngineException.class, e -> {
        assertThat(e.code().sqlState()).isEqualTo("IQ102");
        assertThat(e.getMessage()).contains("0.0.18");
        assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("iasql_upgrade()"));
      });
      assertThatThrownBy(() -> newer.createDatabase("t_retired_" + ProcessHandle.current().pid(),
          ReleaseCatalog.V0_0_18)).as("nor can a database be created at it")
          .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code().sqlState()).isEqualTo("IQ102"));
      assertThat(newer.upgrade(name, Call.create()).toRelease()).isEqualTo(ReleaseCatalog.V0_0_20);
      assertThat(newer.permit(name).release()).isEqualTo(ReleaseCatalog.V0_0_20);
    }
  }

  private static String state(Engine engine, TestDatabase db) {
    return engine.listDatabases().stream().filter(d -> d.name().equals(db.name())).findFirst().orElseThrow()
        .upgradeState();
  }

  /** The pid of the upgrade's backend once it waits for the lock the test holds. */
  private static int awaitBlockedBackend(Connection watch, String database) throws Exception {
    for (int i = 0; i < 600; i++) {
      List<Map<String, Object>> rows = Sql.rows(watch, "SELECT pid FROM pg_stat_activity WHERE datname = ?"
          + " AND wait_event_type = 'Lock' AND wait_event = 'relation'", database);
      if (!rows.isEmpty()) {
        return (Integer) rows.get(0).get("pid");
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the upgrade never reached the locked table");
  }
}
