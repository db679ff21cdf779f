package dev.iasql.bench;

import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;

/**
 * Counts every HTTP attempt of every AWS SDK client of this JVM into {@link AwsRequests#GLOBAL}. The SDK makes one for
 * each client it builds, because {@code software/amazon/awssdk/global/handlers/execution.interceptors} on the class
 * path names it; nothing needs to register it. {@code beforeTransmission} runs once per attempt, so retries count.
 */
public final class CountingInterceptor implements ExecutionInterceptor {
  /** For the SDK, which makes it by reflection. */
  public CountingInterceptor() {}

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    Region region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
    AwsRequests.GLOBAL.sent(new AwsRequest(
        String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)),
        operation(attributes),
        region == null ? null : region.id(),
        context.request().getValueForField("NextToken", String.class).orElse(null)));
  }

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    int status = context.httpResponse().statusCode();
    if (status >= 400) {
      AwsRequests.GLOBAL.failed(operation(attributes), status);
    }
  }

  private static String operation(ExecutionAttributes attributes) {
    return String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
  }
}
