package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduling alone, with plain tasks standing in for calls: one database's calls cannot take another's room,
 * and a database's own calls beyond its share wait, in order, in its queue. (The bridge with real calls, a slow cloud
 * and an idle tenant: {@code dev.iasql.aws.loop.FairnessTest} in engine-aws.)
 */
class DispatcherTest {
  private final Dispatcher dispatcher = new Dispatcher();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    dispatcher.shutdown();
  }

  /** A call that holds its room until the test releases it, saying when it started. */
  private Runnable held(CountDownLatch started) {
    return () -> {
      started.countDown();
      await(release);
    };
  }

  @Test
  void aBusyDatabaseDoesNotDelayAnotherDatabasesCall() throws Exception {
    int busyDatabases = 8; // together more calls than the old shared pool had workers (16)
    CountDownLatch busyStarted = new CountDownLatch(busyDatabases * Dispatcher.CALLS_PER_DATABASE);
    for (int d = 0; d < busyDatabases; d++) {
      for (int i = 0; i < Dispatcher.CALLS_PER_DATABASE; i++) {
        dispatcher.submit("busy" + d, held(busyStarted));
      }
    }
    assertThat(busyStarted.await(30, TimeUnit.SECONDS)).as("every busy call has a thread").isTrue();

    CountDownLatch idleDone = new CountDownLatch(1);
    dispatcher.submit("idle", idleDone::countDown);
    assertThat(idleDone.await(30, TimeUnit.SECONDS)).as("the idle database's call ran while all the others hold on")
        .isTrue();
    assertThat(release.getCount()).as("no busy call was let go").isEqualTo(1);
    assertThat(dispatcher.waiting()).isZero();
  }

  /**
   * A call may run on its caller's thread ({@link Dispatcher#enter}) while its database has room, counted as a
   * running call: beyond the room, calls wait in the queue, and the next starts when one run that way leaves.
   */
  @Test
  void aCallRunOnItsCallersThreadTakesRoomAndLeavingStartsTheNextQueuedOne() throws Exception {
    for (int i = 0; i < Dispatcher.CALLS_PER_DATABASE; i++) {
      assertThat(dispatcher.enter("db")).as("room for call %d", i).isTrue();
    }
    assertThat(dispatcher.enter("db")).as("no room beyond the database's share").isFalse();
    assertThat(dispatcher.enter("other")).as("another database's room").isTrue();
    CountDownLatch queued = new CountDownLatch(1);
    dispatcher.submit("db", queued::countDown);
    assertThat(dispatcher.waiting()).isEqualTo(1);
    assertThat(queued.await(200, TimeUnit.MILLISECONDS)).as("waits while the room is taken").isFalse();
    dispatcher.leave("db");
    assertThat(queued.await(30, TimeUnit.SECONDS)).as("started once a call left").isTrue();
    assertThat(dispatcher.handedOver()).as("only the queued call ran on a thread of the dispatcher's").isEqualTo(1);
    for (int i = 1; i < Dispatcher.CALLS_PER_DATABASE; i++) {
      dispatcher.leave("db");
    }
    dispatcher.leave("other");
    assertThat(dispatcher.awaitIdle("db", java.time.Duration.ofSeconds(30))).isTrue();
    assertThat(dispatcher.awaitIdle("other", java.time.Duration.ofSeconds(30))).isTrue();
    dispatcher.shutdown();
    assertThatThrownBy(() -> dispatcher.enter("db")).isInstanceOf(RejectedExecutionException.class);
  }

  /** What detach waits for before the database's pool closes: its calls, running and queued; another's do not count. */
  @Test
  void awaitIdleWaitsForTheDatabasesCallsOnly() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    dispatcher.submit("db", held(started));
    dispatcher.submit("other", held(new CountDownLatch(1)));
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(dispatcher.awaitIdle("db", java.time.Duration.ofMillis(50))).as("a call still runs").isFalse();
    assertThat(dispatcher.awaitIdle("none", java.time.Duration.ZERO)).as("no calls at all").isTrue();
    release.countDown();
    assertThat(dispatcher.awaitIdle("db", java.time.Duration.ofSeconds(30))).isTrue();
  }

  @Test
  void aDatabasesBurstWaitsInItsOwnQueueInOrder() throws Exception {
    CountDownLatch started = new CountDownLatch(Dispatcher.CALLS_PER_DATABASE);
    List<CountDownLatch> releases = new CopyOnWriteArrayList<>();
    for (int i = 0; i < Dispatcher.CALLS_PER_DATABASE; i++) {
      CountDownLatch mine = new CountDownLatch(1);
      releases.add(mine);
      dispatcher.submit("burst", () -> {
        started.countDown();
        await(mine);
      });
    }
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    List<Integer> order = new CopyOnWriteArrayList<>();
    List<CountDownLatch> done = List.of(new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1));
    for (int i = 0; i < 3; i++) {
      int n = i;
      dispatcher.submit("burst", () -> {
        order.add(n);
        done.get(n).countDown();
      });
    }
    assertThat(dispatcher.waiting()).as("beyond its share, the database's calls wait").isEqualTo(3);
    assertThat(order).as("none ran while the database's share is taken").isEmpty();

    CountDownLatch otherDone = new CountDownLatch(1);
    dispatcher.submit("other", otherDone::countDown);
    assertThat(otherDone.await(30, TimeUnit.SECONDS)).as("another database is not behind that queue").isTrue();

    releases.get(0).countDown(); // one running call ends: its room goes to the queued calls, one after another
    for (CountDownLatch d : done) {
      assertThat(d.await(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(order).as("first come, first served within a database").containsExactly(0, 1, 2);
    assertThat(dispatcher.waiting()).isZero();
    releases.forEach(CountDownLatch::countDown);
  }

  @Test
  void aStoppedDispatcherRefusesCalls() {
    dispatcher.shutdown();
    assertThatThrownBy(() -> dispatcher.submit("db", () -> {})).isInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("stopping");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
