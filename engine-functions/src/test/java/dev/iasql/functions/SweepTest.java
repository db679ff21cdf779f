package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The engine finishes what nobody else will: orphaned running calls and unread one-time secrets. */
@ExtendWith(IasqlExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SweepTest {

  @Test
  void orphanedCallsEndAsErrorsAndUnreadSecretsAreCleared(TestDatabase db) throws Exception {
    try (Connection admin = db.admin(); Connection c = db.tenant()) {
      // A call whose engine session is gone and whose caller never came back; and one whose secret nobody read.
      Sql.rows(admin, "INSERT INTO iasql_operation (optype, status, engine_pid, start_date) VALUES"
          + " ('INSTALL', 'running', 2147483000, now() - interval '1 minute') RETURNING id");
      Sql.rows(admin, "INSERT INTO iasql_operation (optype, status, output, transient_output, start_date, end_date)"
          + " VALUES ('CONNECT', 'done', '[{\"pg_password\": \"(redacted)\"}]', '[{\"pg_password\": \"s3cret\"}]',"
          + " now() - interval '3 minutes', now() - interval '2 minutes') RETURNING id");
      // A call running right now, in a live session, is left alone.
      Sql.rows(admin, "INSERT INTO iasql_operation (optype, status, engine_pid, start_date) VALUES"
          + " ('INSTALL', 'running', pg_backend_pid(), now() - interval '1 minute') RETURNING id");
      // No session watches an idle database: the engine sweeps it after its calls (every few seconds at most).
      assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
      for (int i = 0; i < 200 && Sql.rows(c, "SELECT 1 FROM iasql_operation WHERE engine_pid = 2147483000"
          + " AND status = 'running'").size() == 1; i++) {
        Thread.sleep(50);
      }
      assertThat(Sql.rows(c, "SELECT status, err->>'code' AS code FROM iasql_operation"
          + " WHERE engine_pid = 2147483000")).containsExactly(Map.of("status", "error", "code", "IQ003"));
      assertThat(Sql.value(c, "SELECT transient_output IS NULL FROM iasql_operation WHERE optype = 'CONNECT'"))
          .isEqualTo(true);
      assertThat(Sql.value(c, "SELECT status FROM iasql_operation WHERE engine_pid = ?",
          ((Number) Sql.value(admin, "SELECT pg_backend_pid()")).intValue())).isEqualTo("running");
    }
  }
}
