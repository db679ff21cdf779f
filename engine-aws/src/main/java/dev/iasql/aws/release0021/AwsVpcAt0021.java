package dev.iasql.aws.release0021;

import dev.iasql.aws.vpc.AwsVpcModule;
import dev.iasql.engine.release.CarriedForward;
import dev.iasql.engine.release.ReleaseCatalog;

/** {@code AwsVpcModule} in release 0.0.21, unchanged from 0.0.20. */
public final class AwsVpcAt0021 extends CarriedForward {
  public AwsVpcAt0021() {
    super(new AwsVpcModule(), ReleaseCatalog.V0_0_21);
  }
}
