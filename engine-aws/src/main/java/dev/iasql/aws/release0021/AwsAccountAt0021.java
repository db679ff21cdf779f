package dev.iasql.aws.release0021;

import dev.iasql.aws.account.AwsAccountModule;
import dev.iasql.engine.release.CarriedForward;
import dev.iasql.engine.release.ReleaseCatalog;

/** {@code AwsAccountModule} in release 0.0.21, unchanged from 0.0.20. */
public final class AwsAccountAt0021 extends CarriedForward {
  public AwsAccountAt0021() {
    super(new AwsAccountModule(), ReleaseCatalog.V0_0_21);
  }
}
