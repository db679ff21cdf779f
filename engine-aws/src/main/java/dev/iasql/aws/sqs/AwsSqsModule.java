package dev.iasql.aws.sqs;

import dev.iasql.aws.AwsErrorCode;
import dev.iasql.aws.account.AwsAccountModule;
import dev.iasql.engine.error.ErrorBlock;
import dev.iasql.engine.kit.KitModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.ModuleName;
import java.util.List;
import java.util.Optional;

/** {@code aws_sqs}: SQS queues ({@code queue}), on the module kit. */
public final class AwsSqsModule extends KitModule {
  public static final ModuleName NAME = ModuleName.of("aws_sqs");

  public AwsSqsModule() {
    super(NAME, ReleaseCatalog.V0_0_22, List.of(AwsAccountModule.NAME), new Table(Queues.SPEC, new Queues()));
  }

  @Override
  public Optional<ErrorBlock> errorBlock() {
    return Optional.of(AwsErrorCode.BLOCK);
  }
}
