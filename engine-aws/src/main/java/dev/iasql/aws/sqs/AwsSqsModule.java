package dev.iasql.aws.sqs;

import dev.iasql.aws.account.AwsAccountModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.Module;
import dev.iasql.engine.spi.ModuleName;
import java.util.List;

/** {@code aws_sqs}: SQS queues ({@code queue}), on the module kit. */
public final class AwsSqsModule implements Module {
  public static final ModuleName NAME = ModuleName.of("aws_sqs");

  @Override
  public ModuleName name() {
    return NAME;
  }

  @Override
  public String version() {
    return ReleaseCatalog.V0_0_21;
  }

  @Override
  public List<ModuleName> dependencies() {
    return List.of(AwsAccountModule.NAME);
  }

  @Override
  public List<String> migrations() {
    return List.of(Queues.SPEC.ddl());
  }

  @Override
  public List<Mapper<?>> mappers() {
    return List.of(Queues.SPEC.mapper(new Queues()));
  }
}
