package dev.iasql.bench;

import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.SharedCluster;
import java.util.Locale;

/** What the cloud benches run on: moto, then the embedded PostgreSQL and the engine (with the SQL bridge). */
record CloudRig(Moto moto, Engine engine, PostgresCluster postgres) {
  static CloudRig start() {
    long started = System.nanoTime();
    // First: it sets aws.endpointUrl, which every AWS client the engine builds afterwards resolves to moto.
    Moto moto = Moto.start();
    Engine engine = SharedCluster.engine();
    PostgresCluster postgres = SharedCluster.postgres();
    System.out.printf(Locale.ROOT, "moto, embedded PostgreSQL and engine up in %d ms%n",
        (System.nanoTime() - started) / 1_000_000);
    return new CloudRig(moto, engine, postgres);
  }
}
