package dev.iasql.functions;

import static dev.iasql.functions.TestModules.LATEST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Long work reports each step to the caller as a NOTICE (what psql prints as it arrives), once. */
@ExtendWith(IasqlExtension.class)
class ProgressTest {

  private static List<String> notices(Statement s) throws Exception {
    List<String> out = new ArrayList<>();
    for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
      out.add(w.getMessage());
    }
    return out;
  }

  @Test
  void eachStepArrivesOnceWhetherRaisedWhileWaitingOrAtTheEnd(TestDatabase db) throws Exception {
    try (Connection c = db.tenant(); Statement s = c.createStatement()) {
      // test_slowish takes over a second after test_base is done: the first line is raised while the caller
      // still waits, the second when the call ends.
      s.executeQuery("SELECT * FROM iasql_install('test_slowish')").close();
      assertThat(notices(s)).containsExactly(
          "installed test_base@" + LATEST + " (1 of 2, 2 tables)",
          "installed test_slowish@" + LATEST + " (2 of 2, 1 table)");
      assertThat(Sql.value(c, "SELECT progress::text FROM iasql_operation")).isEqualTo(
          "[\"installed test_base@" + LATEST + " (1 of 2, 2 tables)\", \"installed test_slowish@" + LATEST
              + " (2 of 2, 1 table)\"]");
      s.clearWarnings();
      s.executeQuery("SELECT * FROM iasql_uninstall('test_slowish', 'test_base')").close();
      assertThat(notices(s)).containsExactly(
          "uninstalled test_slowish (1 of 2, 1 table dropped)",
          "uninstalled test_base (2 of 2, 2 tables dropped)");
    }
  }
}
