package dev.iasql.testkit;

import dev.iasql.engine.Engine;
import dev.iasql.postgres.EmbeddedOptions;
import dev.iasql.postgres.PostgresCluster;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded PostgreSQL and one engine per test JVM: starting a cluster costs seconds, a database milliseconds. Both
 * stop when the JVM exits. {@code -Diasql.test.maxConnections=N} sets the cluster's {@code max_connections} (benches
 * that need more than its 300).
 */
public final class SharedCluster {
  private static final Logger LOG = LoggerFactory.getLogger(SharedCluster.class);
  private static PostgresCluster cluster;
  private static Engine engine;

  private SharedCluster() {}

  public static synchronized PostgresCluster postgres() {
    if (cluster == null) {
      long start = System.nanoTime();
      EmbeddedOptions options = EmbeddedOptions.forTests();
      Integer maxConnections = Integer.getInteger("iasql.test.maxConnections");
      cluster = PostgresCluster.embedded(maxConnections == null ? options
          : options.withMaxConnections(maxConnections));
      LOG.info("embedded PostgreSQL for tests on port {} in {} ms", cluster.port(),
          (System.nanoTime() - start) / 1_000_000);
      Runtime.getRuntime().addShutdownHook(new Thread(SharedCluster::stop, "iasql-test-cluster-stop"));
    }
    return cluster;
  }

  /**
   * The engine every test of this JVM shares: modules and extensions found on the test class path. It does not go
   * looking for databases other engines create (it reconciles hourly), so a test can keep a database no engine serves
   * by creating it through an engine of its own without the bridge.
   */
  public static synchronized Engine engine() {
    if (engine == null) {
      engine = Engine.configure().postgres(postgres()).reconcileEvery(Duration.ofHours(1)).build();
    }
    return engine;
  }

  private static synchronized void stop() {
    if (engine != null) {
      engine.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }
}
