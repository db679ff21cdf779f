package dev.iasql.aws.loop;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * A cloud that answers only when the test says so: while held, every AWS request of this JVM waits before it is sent,
 * as a slow cloud (or a long apply) keeps the engine's calls waiting on AWS. Registered for every SDK client of this
 * test JVM (the SDK's global interceptors), and inert unless a test holds it.
 */
public final class SlowCloud implements ExecutionInterceptor {
  private static final AtomicReference<CountDownLatch> HELD = new AtomicReference<>();

  /** Holds every AWS request from now until the returned handle is closed. */
  static AutoCloseable hold() {
    CountDownLatch gate = new CountDownLatch(1);
    HELD.set(gate);
    return () -> {
      HELD.set(null);
      gate.countDown();
    };
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    CountDownLatch gate = HELD.get();
    if (gate != null) {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
