package dev.iasql.engine;

import dev.iasql.engine.guard.Guard;
import dev.iasql.engine.metadata.MetadataStore;
import dev.iasql.engine.module.ReleaseModules;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.EngineExtension;
import dev.iasql.engine.sql.Pools;
import dev.iasql.engine.upgrade.Upgrader;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** The parts of one engine, wired once from its settings: {@link Engine} is the façade over them. */
record Wiring(Cluster cluster, ReleaseModules modules, ReleaseCatalog releases, Guard guard, Connections connections,
    Attachments attachments, Databases databases, CloudOperations cloud, Upgrades upgrades, MeterRegistry meters) {

  /** The guard and the upgrader come from the engine itself: only it can build them. */
  static Wiring of(EngineBuilder b, ReleaseModules modules, Pools pools, Guard guard, Upgrader upgrader,
      AtomicBoolean closed) {
    List<EngineExtension> extensions = List.copyOf(b.extensions);
    MetadataStore metadata = new MetadataStore(pools.forDatabase(Engine.METADATA_DATABASE));
    Observer observer = new Observer(b.meters, b.operationListener);
    Connections connections = new Connections(b.cluster, pools, metadata);
    Attachments attachments = new Attachments(b.cluster, connections, metadata, extensions);
    Databases databases = new Databases(b.cluster, connections, metadata, modules, b.releases, attachments);
    OperationRunner runner = new OperationRunner(guard, connections, observer, b.lockTimeout, closed);
    CloudOperations cloud = new CloudOperations(runner, modules, connections, Discovery.byType(extensions));
    Upgrades upgrades = new Upgrades(upgrader, metadata, modules, connections, observer, b.lockTimeout, cloud);
    return new Wiring(b.cluster, modules, b.releases, guard, connections, attachments, databases, cloud, upgrades,
        b.meters);
  }
}
