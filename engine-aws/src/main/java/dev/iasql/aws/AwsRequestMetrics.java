package dev.iasql.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the AWS requests of one engine's clients in its meter registry: {@code iasql.aws.requests} by service,
 * operation and outcome (one per request, retries included in it).
 */
final class AwsRequestMetrics implements ExecutionInterceptor {
  static final String REQUESTS = "iasql.aws.requests";
  private final MeterRegistry registry;

  AwsRequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    count(attributes, "success");
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    count(attributes, "error");
  }

  private void count(ExecutionAttributes attributes, String outcome) {
    Counter.builder(REQUESTS)
        .description("AWS requests the engine made")
        .tag("service", String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)))
        .tag("operation", String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)))
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
