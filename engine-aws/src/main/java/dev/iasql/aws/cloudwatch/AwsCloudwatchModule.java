package dev.iasql.aws.cloudwatch;

import dev.iasql.aws.AwsErrorCode;
import dev.iasql.aws.account.AwsAccountModule;
import dev.iasql.engine.error.ErrorBlock;
import dev.iasql.engine.kit.KitModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.ModuleName;
import dev.iasql.engine.spi.Rpc;
import java.util.List;
import java.util.Optional;

/** {@code aws_cloudwatch}: CloudWatch Logs' log groups ({@code log_group}), on the module kit. */
public final class AwsCloudwatchModule extends KitModule {
  public static final ModuleName NAME = ModuleName.of("aws_cloudwatch");

  public AwsCloudwatchModule() {
    super(NAME, ReleaseCatalog.V0_0_22, List.of(AwsAccountModule.NAME), new Table(LogGroups.SPEC, new LogGroups()));
  }

  /** IaSQL's {@code log_group_tail}. */
  @Override
  public List<Rpc<?>> rpcs() {
    return List.of(LogGroupTail.RPC);
  }

  @Override
  public Optional<ErrorBlock> errorBlock() {
    return Optional.of(AwsErrorCode.BLOCK);
  }
}
