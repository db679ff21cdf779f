package dev.iasql.aws.releases;

import static java.util.Objects.requireNonNull;

import dev.iasql.aws.AwsModule;
import dev.iasql.engine.spi.CloudAccount;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.Module;
import dev.iasql.engine.spi.ModuleName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.SdkClient;

/**
 * A module as an older release shipped it: that release's frozen DDL ({@link FrozenDdl}), never SQL from today's code,
 * and the latest module's behaviour (mappers, read-only tables, secrets), whose columns it still has. Subclass it with a
 * public no-argument constructor per module and release, listed in {@code META-INF/services}; override
 * {@link #upgradeFrom} with the step from the release before it, when that step changed the schema.
 */
public abstract class Shipped implements AwsModule {
  private final Module latest;
  private final String release;

  protected Shipped(Module latest, String release) {
    this.latest = requireNonNull(latest, "latest is null");
    this.release = requireNonNull(release, "release is null");
    if (latest.version().equals(release)) {
      throw new IllegalArgumentException(latest.name() + " is the latest at " + release + ": it needs no frozen copy");
    }
  }

  @Override
  public final ModuleName name() {
    return latest.name();
  }

  @Override
  public final String version() {
    return release;
  }

  /** Frozen since the release shipped. */
  @Override
  public final List<String> migrations() {
    return FrozenDdl.of(release, latest.name());
  }

  /** Nothing, unless the subclass says how its release moved the schema from the release before. */
  @Override
  public List<String> upgradeFrom(String older) {
    return List.of();
  }

  @Override
  public List<ModuleName> dependencies() {
    return latest.dependencies();
  }

  @Override
  public String beforeUninstallSql() {
    return latest.beforeUninstallSql();
  }

  @Override
  public Set<String> readOnlyTables() {
    return latest.readOnlyTables();
  }

  @Override
  public List<Mapper<?>> mappers() {
    return latest.mappers();
  }

  @Override
  public Optional<CloudAccount> account() {
    return latest.account();
  }

  @Override
  public Map<String, Set<String>> secretColumns() {
    return latest.secretColumns();
  }

  @Override
  public Set<String> keptByDeleteAll() {
    return latest.keptByDeleteAll();
  }

  @Override
  public List<Class<? extends SdkClient>> awsClients() {
    return latest instanceof AwsModule aws ? aws.awsClients() : List.of();
  }
}
