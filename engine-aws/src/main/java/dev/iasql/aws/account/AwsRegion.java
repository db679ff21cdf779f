package dev.iasql.aws.account;

import static java.util.Objects.requireNonNull;

/**
 * A row of {@code aws_regions}, or a region the cloud has (whose flags are then false: they are the user's, never the
 * cloud's). {@code listed}: the engine has recorded that the cloud listed it (only such a region may be the default).
 */
record AwsRegion(String region, boolean isDefault, boolean isEnabled, boolean listed) {
  AwsRegion {
    requireNonNull(region, "region is null");
  }

  static AwsRegion fromCloud(String region) {
    return new AwsRegion(region, false, false, true);
  }
}
