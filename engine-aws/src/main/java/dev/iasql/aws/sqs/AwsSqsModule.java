package dev.iasql.aws.sqs;

import dev.iasql.aws.AwsKitModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.ModuleName;

/** {@code aws_sqs}: SQS queues ({@code queue}), on the module kit. */
public final class AwsSqsModule extends AwsKitModule {
  public static final ModuleName NAME = ModuleName.of("aws_sqs");

  public AwsSqsModule() {
    super(NAME, ReleaseCatalog.V0_0_22, new Table(Queues.SPEC, new Queues()));
  }
}
