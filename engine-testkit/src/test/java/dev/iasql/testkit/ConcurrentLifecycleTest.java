package dev.iasql.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One engine, several threads creating and dropping databases at once. */
@ExtendWith(IasqlExtension.class)
class ConcurrentLifecycleTest {
  private static final int THREADS = 4;
  private static final int PER_THREAD = 3;

  @Test
  void concurrentCreatesAndDropsAllSucceedAndLeaveNothing(Engine engine, PostgresCluster cluster) throws Exception {
    ClusterState before = ClusterState.of(cluster);
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < THREADS * PER_THREAD; i++) {
      names.add(Pg.uniqueName("conc"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<CreatedDatabase> created = new ArrayList<>();
    try {
      List<Future<List<CreatedDatabase>>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        List<String> mine = names.subList(t * PER_THREAD, (t + 1) * PER_THREAD);
        Callable<List<CreatedDatabase>> work = () -> {
          start.await();
          List<CreatedDatabase> made = new ArrayList<>();
          for (String name : mine) {
            made.add(engine.createDatabase(name));
          }
          for (CreatedDatabase d : made) {
            try (Connection c = Pg.login(cluster, d.name(), d.pgUser(), d.pgPassword())) {
              assertThat(Pg.value(c, "SELECT count(*) FROM iasql_module")).isEqualTo(1L);
            }
          }
          for (CreatedDatabase d : made) {
            engine.dropDatabase(d.name());
          }
          return made;
        };
        futures.add(pool.submit(work));
      }
      for (Future<List<CreatedDatabase>> f : futures) {
        created.addAll(f.get());
      }
    } finally {
      pool.shutdown();
      Pg.dropIfPresent(engine, names.toArray(String[]::new));
    }

    assertThat(created).extracting(CreatedDatabase::name).containsExactlyInAnyOrderElementsOf(names);
    Set<String> roles = new HashSet<>();
    Set<String> passwords = new HashSet<>();
    for (CreatedDatabase d : created) {
      roles.add(d.pgUser());
      passwords.add(d.pgPassword());
    }
    assertThat(roles).as("distinct login roles").hasSize(names.size());
    assertThat(passwords).as("distinct passwords").hasSize(names.size());
    assertThat(ClusterState.of(cluster)).as("nothing left behind").isEqualTo(before);
    assertThat(engine.listDatabases()).noneMatch(i -> names.contains(i.name()));
  }
}
