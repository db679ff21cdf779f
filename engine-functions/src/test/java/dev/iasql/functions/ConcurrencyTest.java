package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Several databases called at once from several threads in one engine: nobody sees another's results. */
@ExtendWith(IasqlExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConcurrencyTest {

  @Test
  void twoDatabasesCalledConcurrentlyNeverCrossResults(TestDatabase a, TestDatabase b) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int round = 0; round < 5; round++) {
        // a churns test_base in and out; b keeps test_grandchild and reads; both ask for the catalog.
        results.add(pool.submit(churn(a, "test_base", "test_base_item")));
        results.add(pool.submit(churn(b, "test_grandchild", "test_grandchild_item")));
        results.add(pool.submit(installedOf(a)));
        results.add(pool.submit(installedOf(b)));
      }
      for (Future<List<String>> f : results) {
        f.get(120, TimeUnit.SECONDS);
      }
      try (Connection ca = a.tenant(); Connection cb = b.tenant()) {
        List<String> opsOfA = Sql.rows(ca, "SELECT DISTINCT requested_by FROM iasql_operation").stream()
            .map(r -> (String) r.get("requested_by")).toList();
        assertThat(opsOfA).containsExactly(a.created().pgUser());
        List<String> paramsOfB = Sql.rows(cb, "SELECT DISTINCT unnest(params) AS p FROM iasql_operation").stream()
            .map(r -> (String) r.get("p")).toList();
        assertThat(paramsOfB).containsOnly("test_grandchild");
        assertThat(Sql.rows(cb, "SELECT count(*) AS n FROM iasql_operation WHERE status <> 'done'"))
            .extracting(r -> r.get("n")).containsExactly(0L);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void moreConcurrentCallsThanOneDatabaseRunsAtOnceAllComplete(TestDatabase db) throws Exception {
    int callers = Dispatcher.CALLS_PER_DATABASE * 3;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        // installs take the per-database install lock and report progress: the most connection-hungry calls
        results.add(pool.submit(i % 2 == 0 ? churn(db, "test_child", "test_child_item") : installedOf(db)));
      }
      for (Future<List<String>> f : results) {
        f.get(120, TimeUnit.SECONDS);
      }
      try (Connection c = db.tenant()) {
        assertThat(Sql.rows(c, "SELECT status, count(*) AS n FROM iasql_operation GROUP BY status"))
            .containsExactly(java.util.Map.of("status", "done", "n", (long) callers));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Installs a module, checks its own table shows up in its own database, uninstalls it. */
  private static Callable<List<String>> churn(TestDatabase db, String module, String table) {
    return () -> {
      try (Connection c = db.tenant()) {
        List<String> created = Sql.rows(c, "SELECT created_table_name FROM iasql_install(?)", module).stream()
            .map(r -> (String) r.get("created_table_name")).toList();
        // another thread of the same database may have installed it first: then nothing is created
        assertThat(created).allSatisfy(t -> assertThat(t).startsWith("test_"));
        assertThat(Sql.value(c, "SELECT to_regclass(?) IS NOT NULL", "public." + table)).isEqualTo(true);
        return created;
      }
    };
  }

  private static Callable<List<String>> installedOf(TestDatabase db) {
    return () -> {
      try (Connection c = db.tenant()) {
        List<String> catalog = Sql.rows(c, "SELECT module_name FROM iasql_modules_list()").stream()
            .map(r -> (String) r.get("module_name")).toList();
        assertThat(catalog).contains("test_base", "test_grandchild");
        return catalog;
      }
    };
  }
}
