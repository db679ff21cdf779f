package dev.iasql.engine;

/**
 * Where an engine's PostgreSQL comes from, for {@link EngineBuilder#postgres}: engine-postgres's {@code
 * PostgresCluster} is one (embedded, or an external cluster by URL). Whoever started the cluster stops it.
 */
@FunctionalInterface
public interface PostgresSource {
  /** How the engine reaches the cluster: its admin login and the loopback conninfo its functions use. */
  Cluster engineCluster();
}
