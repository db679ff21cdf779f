package dev.iasql.aws.release0021;

import dev.iasql.aws.securitygroup.AwsSecurityGroupModule;
import dev.iasql.engine.release.CarriedForward;
import dev.iasql.engine.release.ReleaseCatalog;

/** {@code AwsSecurityGroupModule} in release 0.0.21, unchanged from 0.0.20. */
public final class AwsSecurityGroupAt0021 extends CarriedForward {
  public AwsSecurityGroupAt0021() {
    super(new AwsSecurityGroupModule(), ReleaseCatalog.V0_0_21);
  }
}
