package dev.iasql.server.serve;

import dev.iasql.engine.Cluster;
import dev.iasql.postgres.PostgresCluster;

/** How the engine (engine-core) reaches a cluster of engine-postgres. */
final class ClusterAccess {
  private ClusterAccess() {}

  static Cluster of(PostgresCluster c) {
    return new Cluster(c.host(), c.port(), c.adminUser(), c.adminPassword(), c::bridgeConnInfo,
        c::bridgeConnInfo);
  }
}
