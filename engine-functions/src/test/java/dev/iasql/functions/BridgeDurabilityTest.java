package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bridge's own commits (request rows) skip the WAL flush; nothing else does. The test cluster runs with
 * synchronous_commit off for speed, so the database is set to on first: what the tests see is then the bridge's doing.
 */
@ExtendWith(IasqlExtension.class)
class BridgeDurabilityTest {

  /**
   * Read from the calling session, whose loopback (a dblink connection of that session) only the superuser can query:
   * so this caller is the admin, unlike the tests of what a tenant may do.
   */
  @Test
  void theCallersLoopbackCommitsWithoutWaitingForTheFlushAndTheCallerItselfIsUntouched(TestDatabase db)
      throws Exception {
    try (Connection admin = db.admin()) {
      Loopback.queuedRoute(admin);
      Sql.exec(admin, (String) Sql.value(admin, "SELECT format('ALTER DATABASE %I SET synchronous_commit = on',"
          + " current_database())"));
    }
    try (Connection c = db.admin()) {
      assertThat(Sql.value(c, "SHOW synchronous_commit")).isEqualTo("on");
      assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
      assertThat(Sql.value(c, "SELECT s FROM iasql_engine.dblink('iasql_bridge', 'SHOW synchronous_commit')"
          + " AS t(s text)")).isEqualTo("off");
      assertThat(Sql.value(c, "SHOW synchronous_commit")).isEqualTo("on");
    }
  }

  /** The worker's writes to a request row join {@link Worker#NO_FLUSH}: off for that statement's commit only. */
  @Test
  void theWorkersNoFlushLastsOneAutocommitStatement(TestDatabase db) throws Exception {
    try (Connection c = db.admin()) {
      Sql.exec(c, "SET synchronous_commit = on");
      Sql.exec(c, "CREATE TEMP TABLE probe (v text)");
      Sql.exec(c, "INSERT INTO probe VALUES ('x')");
      c.setAutoCommit(false);
      Sql.exec(c, "UPDATE probe SET v = current_setting('synchronous_commit') FROM " + Worker.NO_FLUSH);
      assertThat(Sql.value(c, "SELECT v FROM probe")).isEqualTo("off");
      c.commit();
      c.setAutoCommit(true);
      assertThat(Sql.value(c, "SHOW synchronous_commit")).isEqualTo("on");
    }
  }
}
