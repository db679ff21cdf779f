package dev.iasql.aws.release0021;

import dev.iasql.aws.account.AwsAccountModule;
import dev.iasql.aws.releases.Shipped;
import dev.iasql.engine.release.ReleaseCatalog;

/** {@code aws_account} as release 0.0.21 shipped it: 0.0.20's schema, unchanged. */
public final class AwsAccountAt0021 extends Shipped {
  public AwsAccountAt0021() {
    super(new AwsAccountModule(), ReleaseCatalog.V0_0_21);
  }
}
