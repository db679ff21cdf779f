package dev.iasql.bench;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One HTTP attempt the AWS SDK sent (a retry is another attempt).
 *
 * @param service the SDK's service name, such as {@code Ec2}
 * @param operation the operation name, such as {@code DescribeSecurityGroups}
 * @param region the client's region, or null when the SDK did not say
 * @param nextToken the pagination token sent, or null for a first (or only) page
 */
record AwsRequest(String service, String operation, @Nullable String region, @Nullable String nextToken) {
  AwsRequest {
    requireNonNull(service, "service is null");
    requireNonNull(operation, "operation is null");
  }

  /** Whether this asks for a page after the first one. */
  boolean continuation() {
    return nextToken != null;
  }

  @Override
  public String toString() {
    return service + "." + operation + (region == null ? "" : " in " + region)
        + (nextToken == null ? "" : " (next page)");
  }
}
