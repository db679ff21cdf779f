package dev.iasql.aws.kit;

import dev.iasql.engine.Engine;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.postgres.EmbeddedOptions;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.TestDatabase;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An engine serving {@link ReleaseCatalog#upcoming()}, on an embedded PostgreSQL of its own (one per test JVM): the
 * suite's shared engine serves the standard catalog, and two engines on one cluster would both answer its calls.
 * Goes once the standard catalog is the upcoming one.
 */
final class UpcomingRelease {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static PostgresCluster cluster;
  private static Engine engine;

  private UpcomingRelease() {}

  static synchronized Engine engine() {
    if (engine == null) {
      cluster = PostgresCluster.embedded(EmbeddedOptions.forTests());
      engine = Engine.configure().postgres(cluster).releases(ReleaseCatalog.upcoming())
          .reconcileEvery(Duration.ofHours(1)).build();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        engine.close();
        cluster.close();
      }, "iasql-test-upcoming-stop"));
    }
    return engine;
  }

  /** A new database at the upcoming release; the caller drops it. */
  static TestDatabase create(String test) {
    return createAt(test, ReleaseCatalog.V0_0_21);
  }

  /** A new database at a release; the caller drops it. */
  static synchronized TestDatabase createAt(String test, String release) {
    Engine e = engine();
    String clean = test.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    String name = "t_" + clean.substring(0, Math.min(clean.length(), 30)) + "_"
        + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    return new TestDatabase(e, cluster, e.createDatabase(name, release));
  }

  static void drop(TestDatabase db) {
    db.engine().dropDatabase(db.name());
  }
}
