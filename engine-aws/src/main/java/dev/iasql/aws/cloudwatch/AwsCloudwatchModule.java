package dev.iasql.aws.cloudwatch;

import dev.iasql.aws.AwsKitModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.ModuleName;

/**
 * {@code aws_cloudwatch}: CloudWatch Logs' log groups ({@code log_group}), on the module kit, with IaSQL's
 * {@code log_group_tail}.
 */
public final class AwsCloudwatchModule extends AwsKitModule {
  public static final ModuleName NAME = ModuleName.of("aws_cloudwatch");

  public AwsCloudwatchModule() {
    super(NAME, ReleaseCatalog.V0_0_22, new Table(LogGroups.SPEC, new LogGroups(), LogGroupTail.RPC));
  }
}
