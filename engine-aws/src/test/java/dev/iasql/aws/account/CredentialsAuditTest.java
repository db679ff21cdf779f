package dev.iasql.aws.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.aws.vpc.AwsTestDb;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The audit log records every change to {@code aws_credentials} but never its secret columns. */
@ExtendWith(IasqlExtension.class)
class CredentialsAuditTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String NEW_SECRET = "another-secret-value-0123456789";
  private static final String TOKEN = "FwoGZXIvYXdzEXAMPLE-session-token";

  @Test
  void secretsAreRedactedInTheAuditLog(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      AwsTestDb.installAwsAccount(c);
      Sql.rows(c, "INSERT INTO aws_credentials (access_key_id, secret_access_key, session_token) VALUES (?, ?, ?)",
          "AKIAEXAMPLE", SECRET, TOKEN);
      Sql.rows(c, "UPDATE aws_credentials SET secret_access_key = ?, access_key_id = ?", NEW_SECRET, "AKIAEXAMPLE2");
      Sql.rows(c, "DELETE FROM aws_credentials");

      List<Map<String, Object>> log = Sql.rows(c, "SELECT \"user\", change_type::text AS t, change::text AS change"
          + " FROM iasql_audit_log WHERE table_name = 'aws_credentials' ORDER BY id");
      assertThat(log).extracting(r -> r.get("user") + " " + r.get("t")).containsExactly(
          db.created().pgUser() + " INSERT", db.created().pgUser() + " UPDATE", db.created().pgUser() + " DELETE");
      for (Map<String, Object> r : log) {
        String change = (String) r.get("change");
        assertThat(change).as(r.get("t").toString())
            .contains("(redacted)")
            .doesNotContain(SECRET).doesNotContain(NEW_SECRET).doesNotContain(TOKEN).contains("AKIAEXAMPLE");
      }
      assertThat((String) log.get(1).get("change")).as("the change itself is still visible")
          .contains("AKIAEXAMPLE2");
      assertThat(Sql.value(c, "SELECT count(*) FROM iasql_audit_log, json_each_text(change) AS side(k, v)"
          + " WHERE table_name = 'aws_credentials' AND v::json->>'secret_access_key' = '(redacted)'"
          + " AND v::json->>'session_token' = '(redacted)'"))
          .as("original and new values, insert + 2 update + delete").isEqualTo(4L);
      assertThat(Sql.value(c, "SELECT count(*) FROM iasql_audit_log WHERE change::text LIKE ?", "%" + SECRET + "%"))
          .isEqualTo(0L);
    }
  }
}
