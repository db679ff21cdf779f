package dev.iasql.aws.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.aws.vpc.AwsTestDb;
import dev.iasql.engine.Engine;
import dev.iasql.engine.Health;
import dev.iasql.engine.OperationListener;
import dev.iasql.engine.error.Code;
import dev.iasql.postgres.EmbeddedOptions;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * What a host hooks into: meters, the operation listener and health, with calls made through SQL as the tenant
 * against moto. Each test has a cluster and an engine of its own, so every call is this engine's.
 */
class HostHooksTest {
  private static Engine engine(PostgresCluster cluster, SimpleMeterRegistry meters, OperationListener listener) {
    return Engine.configure().postgres(cluster).meterRegistry(meters).operationListener(listener)
        .reconcileEvery(Duration.ofHours(1)).build();
  }

  @Test
  void callsThroughSqlAreMeteredAndHeard() throws Exception {
    Moto.start();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    List<String> heard = new CopyOnWriteArrayList<>();
    OperationListener listener = new OperationListener() {
      @Override
      public void started(Operation op) {
        heard.add("started " + op.type() + " " + op.database() + " " + op.id().isPresent());
      }

      @Override
      public void progress(Operation op, String message) {
        heard.add("progress " + op.type() + " " + message);
      }

      @Override
      public void finished(Operation op, Duration took) {
        heard.add("finished " + op.type());
      }

      @Override
      public void failed(Operation op, Code code, String message, Duration took) {
        heard.add("failed " + op.type() + " " + code.sqlState() + " " + message);
      }
    };
    try (PostgresCluster cluster = PostgresCluster.embedded(EmbeddedOptions.forTests());
        Engine engine = engine(cluster, meters, listener)) {
      TestDatabase db = new TestDatabase(engine, cluster, engine.createDatabase("hooks"));
      AwsTestDb.install(db, "us-east-1", "aws_vpc");
      try (Connection tenant = db.tenant()) {
        Sql.rows(tenant, "SELECT * FROM iasql_sync()");
        PSQLException refused = Sql.failure(tenant, "SELECT * FROM iasql_install('aws_nothing')");
        assertThat(refused.getSQLState()).isEqualTo("IQ201");
      }

      Timer syncs = meters.find("iasql.calls").tag("function", "sync").tag("outcome", "success").timer();
      assertThat(syncs).isNotNull();
      assertThat(syncs.count()).as("AwsTestDb.install's (it loads the regions), then this one").isEqualTo(2);
      assertThat(syncs.totalTime(TimeUnit.NANOSECONDS)).isPositive();
      assertThat(meters.find("iasql.calls").tag("function", "install").tag("outcome", "success").timer().count())
          .as("aws_account, then aws_vpc").isEqualTo(2);
      assertThat(meters.find("iasql.calls").tag("function", "install").tag("outcome", "error").timer().count())
          .isEqualTo(1);
      assertThat(meters.find("iasql.errors").tag("function", "install").tag("sqlstate", "IQ201").counter().count())
          .isEqualTo(1);
      assertThat(meters.find("iasql.aws.requests").counters()).as("AWS requests in %s", meters.getMetersAsString())
          .anyMatch(c -> "DescribeVpcs".equals(c.getId().getTag("operation"))
              && "Ec2".equals(c.getId().getTag("service")) && "success".equals(c.getId().getTag("outcome"))
              && c.count() == 2); // the install's import and the sync
      assertThat(meters.find("iasql.bridge.waiting").gauge().value()).as("nothing waits now").isZero();

      assertThat(heard).contains("started SYNC hooks true", "progress SYNC the database already matches the cloud",
          "finished SYNC", "progress INSTALL importing 3 tables from the cloud");
      assertThat(heard).anyMatch(h -> h.startsWith("progress INSTALL ") && h.contains("aws_vpc"));
      assertThat(heard).anyMatch(h -> h.startsWith("failed INSTALL IQ201 ") && h.contains("aws_nothing"));
      assertThat(heard.indexOf("started SYNC hooks true")).isLessThan(heard.indexOf("finished SYNC"));
    }
  }

  @Test
  void healthIsUpWhileServingAndDownWhenTheClusterStopsOrTheEngineCloses() throws Exception {
    PostgresCluster cluster = PostgresCluster.embedded(EmbeddedOptions.forTests());
    Engine engine = engine(cluster, new SimpleMeterRegistry(), OperationListener.NONE);
    try {
      engine.createDatabase("served");
      Health up = engine.health();
      assertThat(up.status()).isEqualTo(Health.Status.UP);
      assertThat(up.metadataReachable()).isTrue();
      assertThat(up.attachedDatabases()).isEqualTo(1);
      assertThat(up.notListening()).isEmpty();
      assertThat(up.reason()).isEmpty();

      cluster.close();
      Health clusterGone = engine.health();
      assertThat(clusterGone.status()).isEqualTo(Health.Status.DOWN);
      assertThat(clusterGone.metadataReachable()).isFalse();
      assertThat(clusterGone.reason()).contains("metadata database");
    } finally {
      engine.close();
      cluster.close();
    }
    Health closed = engine.health();
    assertThat(closed.status()).isEqualTo(Health.Status.DOWN);
    assertThat(closed.reason()).contains("stopped");
  }
}
