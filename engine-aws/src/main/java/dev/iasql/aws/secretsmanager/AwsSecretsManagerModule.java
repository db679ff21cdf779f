package dev.iasql.aws.secretsmanager;

import dev.iasql.aws.AwsErrorCode;
import dev.iasql.aws.account.AwsAccountModule;
import dev.iasql.engine.error.ErrorBlock;
import dev.iasql.engine.kit.KitModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.ModuleName;
import java.util.List;
import java.util.Optional;

/** {@code aws_secrets_manager}: Secrets Manager's secrets ({@code secret}), on the module kit. */
public final class AwsSecretsManagerModule extends KitModule {
  public static final ModuleName NAME = ModuleName.of("aws_secrets_manager");

  public AwsSecretsManagerModule() {
    super(NAME, ReleaseCatalog.V0_0_22, List.of(AwsAccountModule.NAME), new Table(Secrets.SPEC, new Secrets()));
  }

  @Override
  public Optional<ErrorBlock> errorBlock() {
    return Optional.of(AwsErrorCode.BLOCK);
  }
}
