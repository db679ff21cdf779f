package dev.iasql.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statements the engine renders while it starts are real ones: PostgreSQL plans each of them. */
class SqlWarmUpTest {

  @Test
  void rendersOneStatementOfEachKindThatPostgresAccepts() throws Exception {
    List<String> statements = Sql.warmUp();
    assertThat(statements).extracting(s -> s.substring(0, 6)).containsExactly("select", "insert", "update", "delete");
    try (Connection c = TestPostgres.admin(TestPostgres.createDatabase())) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE public.iasql_warm_up (id serial PRIMARY KEY, name varchar)");
      }
      for (String sql : statements) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          // Parsed and planned by the server, which names any column or type it cannot resolve.
          assertThat(ps.getParameterMetaData().getParameterCount()).as(sql).isPositive();
        }
      }
    }
  }
}
