package dev.iasql.engine.release;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.error.ErrorBlock;
import dev.iasql.engine.spi.CloudAccount;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.Module;
import dev.iasql.engine.spi.ModuleName;
import dev.iasql.engine.spi.Rpc;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A module that a newer release keeps as an older one had it: the same tables, mappers and everything else, under
 * the newer version. A database at the older release moves to it with no schema change; from releases before that, it
 * upgrades as the older module does (its schema is the older module's). Subclass it with a public no-argument
 * constructor and list the subclass in {@code META-INF/services/dev.iasql.engine.spi.Module}.
 */
public abstract class CarriedForward implements Module {
  private final Module base;
  private final String version;

  protected CarriedForward(Module base, String version) {
    this.base = requireNonNull(base, "base is null");
    this.version = requireNonNull(version, "version is null");
    if (base.version().equals(version)) {
      throw new IllegalArgumentException(base.name() + " is already at " + version);
    }
  }

  @Override
  public final ModuleName name() {
    return base.name();
  }

  @Override
  public final String version() {
    return version;
  }

  @Override
  public final List<String> upgradeFrom(String release) {
    return base.version().equals(release) ? List.of() : base.upgradeFrom(release);
  }

  @Override
  public final List<ModuleName> dependencies() {
    return base.dependencies();
  }

  @Override
  public final List<String> migrations() {
    return base.migrations();
  }

  @Override
  public final String beforeUninstallSql() {
    return base.beforeUninstallSql();
  }

  @Override
  public final boolean platform() {
    return base.platform();
  }

  @Override
  public final Set<String> readOnlyTables() {
    return base.readOnlyTables();
  }

  @Override
  public final List<Mapper<?>> mappers() {
    return base.mappers();
  }

  @Override
  public final Optional<CloudAccount> account() {
    return base.account();
  }

  @Override
  public final Map<String, Set<String>> secretColumns() {
    return base.secretColumns();
  }

  @Override
  public final Set<String> keptByDeleteAll() {
    return base.keptByDeleteAll();
  }

  @Override
  public final Optional<ErrorBlock> errorBlock() {
    return base.errorBlock();
  }

  @Override
  public final List<Rpc<?>> rpcs() {
    return base.rpcs();
  }
}
