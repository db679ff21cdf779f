package dev.iasql.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.platform.PlatformModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.Module;
import dev.iasql.engine.spi.ModuleName;
import dev.iasql.postgres.PostgresCluster;
import java.sql.Connection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A module set that cannot work fails build() with its own code, naming the module, instead of a log warning or an
 * undefined table at a user's first apply.
 */
@ExtendWith(IasqlExtension.class)
class ModuleChecksAtBuildTest {

  /** A test-only module: one table created, one mapper. */
  private record Things(String version, String creates, String mapped) implements Module {
    @Override
    public ModuleName name() {
      return ModuleName.of("test_things");
    }

    @Override
    public List<String> migrations() {
      return List.of("CREATE TABLE " + creates + " (id serial PRIMARY KEY, name text)");
    }

    @Override
    public List<Mapper<?>> mappers() {
      return List.of(new NamedMapper(mapped));
    }
  }

  /** Names a table and does nothing else: the check never calls it. */
  private record NamedMapper(String table) implements Mapper<String> {
    @Override
    public @Nullable String cloudKey(String e) {
      return e;
    }

    @Override
    public @Nullable String region(String e) {
      return null;
    }

    @Override
    public String describe(String e) {
      return e;
    }

    @Override
    public Difference compare(String db, String cloud) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<String> readDb(Connection c) {
      throw new UnsupportedOperationException();
    }

    @Override
    public @Nullable Integer insertDb(Connection c, String cloud) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void updateDb(Connection c, String db, String cloud) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void deleteDb(Connection c, String db) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<String> readCloud(CloudContext ctx, @Nullable String region) {
      throw new UnsupportedOperationException();
    }
  }

  private static EngineException buildWith(PostgresCluster c, Module m) {
    return catchThrowableOfType(EngineException.class, () -> Engine.configure().postgres(c)
        .modules(List.of(new PlatformModule(), m)).discoverExtensions(false).build().close());
  }

  @Test
  void aModuleOfAnUnknownReleaseFailsBuild(PostgresCluster c) {
    EngineException e = buildWith(c, new Things("0.0.99", "thing", "thing"));
    assertThat(e.code()).isEqualTo(ErrorCode.MODULE_RELEASE_UNKNOWN);
    assertThat(e.getMessage()).contains("test_things@0.0.99");
    assertThat(e.hint()).get().asString().contains(ReleaseCatalog.standard().latest());
  }

  @Test
  void aMapperOfATableItsModuleDoesNotCreateFailsBuild(PostgresCluster c) {
    EngineException e = buildWith(c, new Things(ReleaseCatalog.standard().latest(), "thing", "things"));
    assertThat(e.code()).isEqualTo(ErrorCode.MAPPER_TABLE_NOT_CREATED);
    assertThat(e.getMessage()).contains("test_things", "things");
    assertThat(e.hint()).get().asString().contains("creates thing");
  }

  @Test
  void aModuleThatCreatesWhatItMapsIsServed(PostgresCluster c) {
    Module things = new Things(ReleaseCatalog.standard().latest(), "public.\"thing\"", "thing");
    try (Engine engine = Engine.configure().postgres(c).modules(List.of(new PlatformModule(), things))
        .discoverExtensions(false).build()) {
      assertThat(engine.availableModules()).anyMatch(m -> m.name().equals("test_things"));
    }
  }

  @Test
  void aModuleSetWithAMissingDependencyFailsWithItsCode() {
    Module needy = new Module() {
      @Override
      public ModuleName name() {
        return ModuleName.of("test_needy");
      }

      @Override
      public String version() {
        return ReleaseCatalog.standard().latest();
      }

      @Override
      public List<ModuleName> dependencies() {
        return List.of(ModuleName.of("test_absent"));
      }
    };
    EngineException e = catchThrowableOfType(EngineException.class,
        () -> Engine.configure().modules(List.of(new PlatformModule(), needy)));
    assertThat(e.code()).isEqualTo(ErrorCode.MODULE_SET_INVALID);
    assertThat(e.getMessage()).contains("test_needy", "test_absent");
  }
}
