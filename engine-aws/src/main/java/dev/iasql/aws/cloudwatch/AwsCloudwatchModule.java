package dev.iasql.aws.cloudwatch;

import dev.iasql.aws.account.AwsAccountModule;
import dev.iasql.engine.kit.KitModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.ModuleName;
import java.util.List;

/** {@code aws_cloudwatch}: CloudWatch Logs' log groups ({@code log_group}), on the module kit. */
public final class AwsCloudwatchModule extends KitModule {
  public static final ModuleName NAME = ModuleName.of("aws_cloudwatch");

  public AwsCloudwatchModule() {
    super(NAME, ReleaseCatalog.V0_0_22, List.of(AwsAccountModule.NAME), new Table(LogGroups.SPEC, new LogGroups()));
  }
}
