package dev.iasql.aws.cloudwatch;

import dev.iasql.aws.account.AwsAccountModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.Module;
import dev.iasql.engine.spi.ModuleName;
import java.util.List;

/** {@code aws_cloudwatch}: CloudWatch Logs' log groups ({@code log_group}), on the module kit. */
public final class AwsCloudwatchModule implements Module {
  public static final ModuleName NAME = ModuleName.of("aws_cloudwatch");

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
    return List.of(LogGroups.SPEC.ddl());
  }

  @Override
  public List<Mapper<?>> mappers() {
    return List.of(LogGroups.SPEC.mapper(new LogGroups()));
  }
}
