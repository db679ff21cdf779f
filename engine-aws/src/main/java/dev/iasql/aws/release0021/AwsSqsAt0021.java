package dev.iasql.aws.release0021;

import dev.iasql.aws.releases.Shipped;
import dev.iasql.aws.sqs.AwsSqsModule;
import dev.iasql.engine.release.ReleaseCatalog;

/** {@code aws_sqs} as release 0.0.21 shipped it: its first release, on the module kit. */
public final class AwsSqsAt0021 extends Shipped {
  public AwsSqsAt0021() {
    super(new AwsSqsModule(), ReleaseCatalog.V0_0_21);
  }
}
