package dev.iasql.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.Call;
import dev.iasql.engine.Engine;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** iasql_audit_log has the shape IaSQL v0.0.20 has, as the tenant sees it. */
@ExtendWith(IasqlExtension.class)
class AuditLogTest {

  @Test
  void auditLogHasTheColumnsOfIasqlV0020(TestDatabase db, Engine engine) throws SQLException {
    // installing what is there is a no-op: the platform module is already installed at create
    assertThat(engine.install(engine.permit(db.databaseName()), List.of("iasql_platform"), Call.create())
        .createdTables()).isEmpty();

    try (Connection c = db.tenant()) {
      assertThat(Pg.rows(c, "SELECT column_name::text, data_type::text, udt_name::text, is_nullable::text"
          + " FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'iasql_audit_log'"
          + " ORDER BY ordinal_position"))
          .containsExactly(
              // IaSQL's is integer; ours is bigint, deliberately: every audited write fails once the ids run out.
              List.of("id", "bigint", "int8", "NO"),
              List.of("ts", "timestamp with time zone", "timestamptz", "NO"),
              List.of("user", "text", "text", "NO"),
              List.of("table_name", "text", "text", "NO"),
              List.of("change_type", "USER-DEFINED", "iasql_audit_log_change_type_enum", "NO"),
              List.of("change", "json", "json", "NO"),
              // Ours only: the engine call that wrote the row (NULL for the tenant's own writes).
              List.of("operation_id", "uuid", "uuid", "YES"));
      assertThat(Pg.strings(c, "SELECT unnest(enum_range(NULL::iasql_audit_log_change_type_enum))::text"))
          .containsExactly("INSERT", "UPDATE", "DELETE");
      assertThat(Pg.strings(c, "SELECT a.attname::text FROM pg_index i JOIN pg_attribute a ON a.attrelid ="
          + " i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indrelid = 'iasql_audit_log'::regclass AND"
          + " i.indisprimary")).as("primary key").containsExactly("id");
      assertThat((String) Pg.value(c, "SELECT column_default FROM information_schema.columns WHERE table_schema ="
          + " 'public' AND table_name = 'iasql_audit_log' AND column_name = 'id'")).startsWith("nextval(");
      assertThat(Pg.value(c, "SELECT count(*) FROM iasql_audit_log")).as("nothing audited yet").isEqualTo(0L);
    }
  }
}
