package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SQL surface users write against (function names, arguments, result columns, who may call them) is pinned to
 * {@code sql-surface.txt}. SQL written for IaSQL v0.0.20 must keep running: a change here is a decision, made by
 * editing that file in the same commit.
 */
@ExtendWith(IasqlExtension.class)
class SqlSurfaceTest {
  private static final String SURFACE = """
      SELECT p.proname || '(' || pg_get_function_arguments(p.oid) || ') -> ' || pg_get_function_result(p.oid)
             || CASE WHEN has_function_privilege(?, p.oid, 'EXECUTE') THEN ' [tenant]' ELSE ' [admin]' END AS f
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND p.prorettype <> 'trigger'::regtype
      ORDER BY 1
      """;

  @Test
  void theSqlSurfaceIsTheOnePinned(TestDatabase db, PostgresCluster cluster) throws Exception {
    List<String> actual = new ArrayList<>();
    try (Connection c = db.admin()) {
      Sql.rows(c, SURFACE, db.created().pgUser()).forEach(r -> actual.add("user: " + r.get("f")));
    }
    try (Connection meta = DriverManager.getConnection(cluster.jdbcUrl(Engine.METADATA_DATABASE),
        cluster.adminUser(), cluster.adminPassword())) {
      Sql.rows(meta, SURFACE, db.created().pgUser()).forEach(r -> actual.add("metadata: " + r.get("f")));
    }
    assertThat(actual).as("the SQL surface; if this change is meant, update sql-surface.txt")
        .containsExactlyElementsOf(pinned());
  }

  /**
   * IaSQL v0.0.20's functions, as listed at the end of the file: each is ours unchanged, or the file says why not.
   * Checked against the pinned surface, which the test above checks against the database.
   */
  @Test
  void everyIasqlFunctionIsOursOrItsDifferenceIsSaid() throws Exception {
    List<String> ours = pinned();
    List<String> iasql = lines().stream().filter(l -> l.startsWith(IASQL)).map(l -> l.substring(IASQL.length()))
        .toList();
    assertThat(iasql).as("IaSQL v0.0.20 has 18 functions in a new database and 2 in aws_account").hasSize(20);
    for (String f : iasql) {
      if (f.contains(" | ")) {
        assertThat(f.substring(f.indexOf(" | ") + 3)).as(f).isNotBlank();
      } else {
        assertThat(ours).as("IaSQL's %s, unchanged", f).contains("user: " + f + " [tenant]");
      }
    }
  }

  private static final String IASQL = "iasql: ";

  private static List<String> pinned() throws Exception {
    return lines().stream().filter(l -> !l.startsWith(IASQL)).toList();
  }

  private static List<String> lines() throws Exception {
    try (InputStream in = SqlSurfaceTest.class.getResourceAsStream("sql-surface.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }
  }
}
