package dev.iasql.aws.release0021;

import dev.iasql.aws.releases.Shipped;
import dev.iasql.aws.secretsmanager.AwsSecretsManagerModule;
import dev.iasql.engine.release.ReleaseCatalog;

/** {@code aws_secrets_manager} as release 0.0.21 shipped it: its first release, on the module kit. */
public final class AwsSecretsManagerAt0021 extends Shipped {
  public AwsSecretsManagerAt0021() {
    super(new AwsSecretsManagerModule(), ReleaseCatalog.V0_0_21);
  }
}
