package dev.iasql.aws.loop;

import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsRequest;

/**
 * A cloud that another tool keeps changing: while armed, every read of the security groups is followed by a change
 * made past the engine, so each of apply's rounds finds something new. Registered for every SDK client of this test
 * JVM (the SDK's global interceptors), and inert unless a test arms it.
 */
public final class ChurningCloud implements ExecutionInterceptor {
  private static final AtomicReference<Runnable> AFTER_GROUPS_READ = new AtomicReference<>();

  /** Runs {@code change} after every read of security groups until the returned handle is closed. */
  static AutoCloseable arm(Runnable change) {
    AFTER_GROUPS_READ.set(change);
    return () -> AFTER_GROUPS_READ.set(null);
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    Runnable change = AFTER_GROUPS_READ.get();
    if (change != null && context.request() instanceof DescribeSecurityGroupsRequest) {
      change.run();
    }
  }
}
