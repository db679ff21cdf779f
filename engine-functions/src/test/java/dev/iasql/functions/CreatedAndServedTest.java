package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.engine.spi.AttachedDatabase;
import dev.iasql.engine.spi.EngineExtension;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * A database is served when its create returns, even when the engine's reconciler (woken by another database's create,
 * or by its periodic compare) found it listed as ready first and began serving it: the create's own attach then waits
 * for that one. It returned at once instead, so the database's first call found no engine (IQ001, "the IaSQL engine is
 * not running"): seen once in the fair-load bench's set-up, which creates four databases at a time.
 */
@ExtendWith(IasqlExtension.class)
class CreatedAndServedTest {
  @Test
  void createReturnsOnlyOnceTheDatabaseIsServedThoughTheReconcilerAttachedItFirst(PostgresCluster cluster)
      throws Exception {
    String db = "t_served_" + ProcessHandle.current().pid();
    CountDownLatch creatorHeld = new CountDownLatch(1);
    CountDownLatch releaseCreator = new CountDownLatch(1);
    CountDownLatch reconcilerAttaching = new CountDownLatch(1);
    CountDownLatch releaseReconciler = new CountDownLatch(1);
    AtomicBoolean served = new AtomicBoolean();
    EngineExtension slowToServe = new EngineExtension() {
      @Override
      public void attach(AttachedDatabase database) {
        if (database.name().equals(db) && Thread.currentThread().getName().equals("iasql-reconcile")) {
          reconcilerAttaching.countDown();
          await(releaseReconciler);
          served.set(true);
        }
      }
    };
    // Holds the creating thread between listing the database as ready (its log line says so) and serving it. (The
    // appender has a field of its own called name: the database's is called db.)
    UnsynchronizedAppenderBase<ILoggingEvent> holdCreator = new UnsynchronizedAppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        if (e.getFormattedMessage().startsWith("created database " + db + " ")) {
          creatorHeld.countDown();
          await(releaseCreator);
        }
      }
    };
    Logger log = (Logger) LoggerFactory.getLogger(Engine.class);
    holdCreator.start();
    log.addAppender(holdCreator);
    try (Engine engine = Engine.configure().postgres(cluster).discoverExtensions(false).extension(slowToServe)
        .build()) {
      try {
        CompletableFuture<CreatedDatabase> create = CompletableFuture.supplyAsync(() -> engine.createDatabase(db));
        assertThat(creatorHeld.await(60, TimeUnit.SECONDS)).as("the create listed the database as ready").isTrue();
        engine.refreshAttachments();
        assertThat(reconcilerAttaching.await(60, TimeUnit.SECONDS)).as("the reconciler serves it").isTrue();
        releaseCreator.countDown();
        assertThatThrownBy(() -> create.get(1, TimeUnit.SECONDS)).as("the create returned before it was served")
            .isInstanceOf(TimeoutException.class);
        releaseReconciler.countDown();
        assertThat(create.get(60, TimeUnit.SECONDS).name()).isEqualTo(db);
        assertThat(served).isTrue();
        assertThat(engine.attachedDatabases()).contains(db);
      } finally {
        releaseCreator.countDown();
        releaseReconciler.countDown();
        log.detachAppender(holdCreator);
        engine.dropDatabase(db);
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never let go");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
