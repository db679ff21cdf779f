package dev.iasql.aws.release0021;

import dev.iasql.aws.releases.Shipped;
import dev.iasql.aws.securitygroup.AwsSecurityGroupModule;
import dev.iasql.engine.release.ReleaseCatalog;

/** {@code aws_security_group} as release 0.0.21 shipped it: 0.0.20's schema, unchanged. */
public final class AwsSecurityGroupAt0021 extends Shipped {
  public AwsSecurityGroupAt0021() {
    super(new AwsSecurityGroupModule(), ReleaseCatalog.V0_0_21);
  }
}
