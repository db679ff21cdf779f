package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A metadata database an older build set up keeps {@code iasql_connect(text)}; beside the newer
 * {@code iasql_connect(text, text DEFAULT NULL)} it would make {@code iasql_connect('x')} ambiguous. The next engine to
 * start drops it.
 */
@ExtendWith(IasqlExtension.class)
class RetiredSignatureTest {
  @Test
  void anEngineStartingOnAnOlderMetadataDatabaseDropsTheRetiredOverload(Engine shared, PostgresCluster cluster)
      throws Exception {
    try (Connection meta = DriverManager.getConnection(cluster.jdbcUrl(Engine.METADATA_DATABASE),
        cluster.adminUser(), cluster.adminPassword())) {
      Sql.exec(meta, "CREATE FUNCTION public.iasql_connect(_name text) RETURNS TABLE (name text) LANGUAGE sql"
          + " AS $$ SELECT _name $$");
      try (Engine next = Engine.configure().postgres(cluster)
          .reconcileEvery(Duration.ofHours(1)).build()) {
        assertThat(Sql.rows(meta, "SELECT pg_get_function_arguments(p.oid) AS args FROM pg_proc p"
            + " WHERE p.proname = 'iasql_connect'")).extracting(r -> r.get("args"))
            .containsExactly("_name text, _release text DEFAULT NULL::text");
      }
    }
  }
}
