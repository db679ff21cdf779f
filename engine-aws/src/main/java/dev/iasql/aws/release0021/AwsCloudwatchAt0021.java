package dev.iasql.aws.release0021;

import dev.iasql.aws.cloudwatch.AwsCloudwatchModule;
import dev.iasql.aws.releases.Shipped;
import dev.iasql.engine.release.ReleaseCatalog;

/** {@code aws_cloudwatch} as release 0.0.21 shipped it: its first release, on the module kit. */
public final class AwsCloudwatchAt0021 extends Shipped {
  public AwsCloudwatchAt0021() {
    super(new AwsCloudwatchModule(), ReleaseCatalog.V0_0_21);
  }
}
