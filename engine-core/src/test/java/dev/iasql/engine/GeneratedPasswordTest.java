package dev.iasql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;

/**
 * The engine sets the passwords it generates with one SCRAM round, on the admin's own session, and leaves that
 * session's setting as it found it, whether the statement succeeded or failed: the session is pooled, and a password
 * set on it later must not get one round by accident.
 */
class GeneratedPasswordTest {

  private static String value(Connection c, String sql, String... binds) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < binds.length; i++) {
        ps.setString(i + 1, binds[i]);
      }
      try (ResultSet r = ps.executeQuery()) {
        r.next();
        return r.getString(1);
      }
    }
  }

  @Test
  void theAdminsSessionKeepsItsOwnScramRounds() throws Exception {
    Tenancy tenancy = new Tenancy(new byte[32], 10, 10, new AdminPowers.Superuser());
    String role = "iasql_" + Long.toHexString(System.nanoTime());
    try (Connection admin = TestPostgres.admin("postgres")) {
      Tenancy.ensureRingers(admin, "postgres");
      try (Statement s = admin.createStatement()) {
        s.execute("SET scram_iterations = 100");
      }
      try {
        tenancy.createRoles(admin, role, "0123456789abcdef0123456789abcdef");
        assertThat(value(admin, "SELECT rolpassword FROM pg_authid WHERE rolname = ?", role))
            .startsWith("SCRAM-SHA-256$1:");
        assertThat(value(admin, "SELECT current_setting('scram_iterations')")).isEqualTo("100");

        assertThatThrownBy(() -> tenancy.createRoles(admin, role, "fedcba9876543210fedcba9876543210"))
            .isInstanceOf(DataAccessException.class); // the role exists
        assertThat(value(admin, "SELECT current_setting('scram_iterations')")).as("after a failed statement too")
            .isEqualTo("100");
      } finally {
        tenancy.dropRoles(admin, role);
      }
    }
  }
}
