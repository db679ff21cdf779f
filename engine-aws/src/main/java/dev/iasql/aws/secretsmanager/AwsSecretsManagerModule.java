package dev.iasql.aws.secretsmanager;

import dev.iasql.aws.AwsKitModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.ModuleName;

/** {@code aws_secrets_manager}: Secrets Manager's secrets ({@code secret}), on the module kit. */
public final class AwsSecretsManagerModule extends AwsKitModule {
  public static final ModuleName NAME = ModuleName.of("aws_secrets_manager");

  public AwsSecretsManagerModule() {
    super(NAME, ReleaseCatalog.V0_0_22, new Table(Secrets.SPEC, new Secrets()));
  }
}
