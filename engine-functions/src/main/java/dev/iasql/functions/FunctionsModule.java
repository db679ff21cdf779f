package dev.iasql.functions;

import dev.iasql.engine.platform.PlatformModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.Module;
import dev.iasql.engine.spi.ModuleName;
import dev.iasql.functions.SqlFunction.Scope;
import java.util.List;

/** {@code iasql_functions}: the SQL functions of a user database and the bridge plumbing behind them. */
public final class FunctionsModule implements Module {
  public static final ModuleName NAME = ModuleName.of("iasql_functions");

  @Override
  public ModuleName name() {
    return NAME;
  }

  @Override
  public String version() {
    return ReleaseCatalog.V0_0_20;
  }

  @Override
  public List<ModuleName> dependencies() {
    return List.of(PlatformModule.NAME);
  }

  @Override
  public boolean platform() {
    return true;
  }

  @Override
  public List<String> migrations() {
    return List.of(BridgeSql.plumbing(), BridgeSql.functions(Scope.USER_DATABASE));
  }
}
