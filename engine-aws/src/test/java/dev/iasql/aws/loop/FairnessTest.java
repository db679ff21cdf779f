package dev.iasql.aws.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import dev.iasql.testkit.TestDatabases;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Other tenants' cloud work never delays a tenant's call (issue 15). Busy databases keep as many calls waiting on a
 * slow cloud as each may run at once, together as many as the engine once had workers for all databases (16); an
 * idle database's no-op call must still be answered while every one of them waits. With the shared pool it was not
 * picked up until a busy call ended (here: never, so the caller gave up with IQ002 after 10 s).
 */
@ExtendWith(IasqlExtension.class)
class FairnessTest {
  private static final int BUSY_DATABASES = 4;
  private static final int CALLS_EACH = 4;

  @Test
  void anIdleDatabasesCallIsAnsweredWhileOthersWaitOnTheCloud(TestDatabases dbs) throws Exception {
    Moto moto = Moto.start();
    List<CloudDb> busy = new ArrayList<>();
    ExecutorService callers = Executors.newFixedThreadPool(BUSY_DATABASES * CALLS_EACH);
    try {
      for (int i = 0; i < BUSY_DATABASES; i++) {
        CloudDb db = CloudDb.connect(dbs.create(), moto.account()); // aws_account: a sync reads the regions
        busy.add(db);
        db.sync();
      }
      TestDatabase idle = dbs.create();
      List<Future<List<Map<String, Object>>>> calls = new ArrayList<>();
      try (AutoCloseable held = SlowCloud.hold()) {
        for (CloudDb db : busy) {
          for (int i = 0; i < CALLS_EACH; i++) {
            calls.add(callers.submit(() -> {
              try (Connection c = db.database().tenant()) {
                return Sql.rows(c, "SELECT * FROM iasql_preview_sync()");
              }
            }));
          }
        }
        awaitRunning(busy, BUSY_DATABASES * CALLS_EACH);

        try (Connection c = idle.tenant()) {
          assertThat(Sql.rows(c, "SELECT * FROM iasql_modules_list()")).isNotEmpty();
        }
        assertThat(calls).as("the busy calls still wait on the cloud").noneMatch(Future::isDone);
      }
      for (Future<List<Map<String, Object>>> call : calls) {
        assertThat(call.get(2, TimeUnit.MINUTES)).as("once the cloud answers, each busy call ends well (nothing to sync)")
            .isEmpty();
      }
    } finally {
      callers.shutdownNow();
      for (CloudDb db : busy) {
        db.close();
      }
    }
  }

  /** Until the engine has claimed {@code n} calls of these databases (they then wait on the cloud). */
  private static void awaitRunning(List<CloudDb> dbs, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    long running = 0;
    while (System.nanoTime() < deadline) {
      running = 0;
      for (CloudDb db : dbs) {
        running += ((Number) db.value("SELECT count(*) FROM iasql_operation WHERE status = 'running'")).longValue();
      }
      if (running == n) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the engine claimed " + running + " of the " + n + " busy calls");
  }
}
