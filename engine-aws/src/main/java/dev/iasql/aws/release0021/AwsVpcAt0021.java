package dev.iasql.aws.release0021;

import dev.iasql.aws.releases.Shipped;
import dev.iasql.aws.vpc.AwsVpcModule;
import dev.iasql.engine.release.ReleaseCatalog;

/** {@code aws_vpc} as release 0.0.21 shipped it: 0.0.20's schema, unchanged. */
public final class AwsVpcAt0021 extends Shipped {
  public AwsVpcAt0021() {
    super(new AwsVpcModule(), ReleaseCatalog.V0_0_21);
  }
}
