package dev.iasql.aws.account;

import static java.util.Objects.requireNonNull;

/**
 * A row of {@code aws_regions}, or a region the cloud has (whose flags are then false: they are the user's, never the
 * cloud's).
 */
record AwsRegion(String region, boolean isDefault, boolean isEnabled) {
  AwsRegion {
    requireNonNull(region, "region is null");
  }

  static AwsRegion fromCloud(String region) {
    return new AwsRegion(region, false, false);
  }
}
