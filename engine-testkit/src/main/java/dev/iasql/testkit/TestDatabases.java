package dev.iasql.testkit;

import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** Makes user databases for a test and drops them after it. */
public final class TestDatabases {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private final Engine engine;
  private final PostgresCluster cluster;
  private final String prefix;
  private final List<TestDatabase> made = new ArrayList<>();

  TestDatabases(Engine engine, PostgresCluster cluster, String testName) {
    this.engine = engine;
    this.cluster = cluster;
    String clean = testName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    this.prefix = "t_" + clean.substring(0, Math.min(clean.length(), 30));
  }

  /** A fresh database with the platform modules, named after the test. */
  public synchronized TestDatabase create() {
    return createAt(engine.releases().latest());
  }

  /** A fresh database at an older release, to test the upgrade path. */
  public synchronized TestDatabase createAt(String release) {
    String name = prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    TestDatabase db = new TestDatabase(engine, cluster, engine.createDatabase(name, release));
    made.add(db);
    return db;
  }

  /** Drops what this test made; a database the test dropped itself is fine. */
  synchronized void dropAll() {
    for (TestDatabase db : made) {
      if (engine.listDatabases().stream().anyMatch(d -> d.name().equals(db.name()))) {
        engine.dropDatabase(db.name());
      }
    }
    made.clear();
  }
}
