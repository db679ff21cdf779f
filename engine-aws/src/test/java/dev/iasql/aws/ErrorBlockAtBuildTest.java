package dev.iasql.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iasql.aws.account.AwsAccountModule;
import dev.iasql.engine.Engine;
import dev.iasql.engine.error.Category;
import dev.iasql.engine.error.Code;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorBlock;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.platform.PlatformModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.Module;
import dev.iasql.engine.spi.ModuleName;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each module family owns a block of SQLSTATEs: build() refuses a block that overlaps another's or the engine's, and
 * a code outside its own block, naming the module (IQ209), so no two modules can mean different things by one code.
 */
@ExtendWith(IasqlExtension.class)
class ErrorBlockAtBuildTest {
  /** One code of a test module. */
  private record TestCode(String name, String sqlState) implements Code {
    @Override
    public Category category() {
      return Category.USER;
    }
  }

  /** A module of the latest release that declares a block of its own. */
  private record Blocky(ErrorBlock block) implements Module {
    @Override
    public ModuleName name() {
      return ModuleName.of("test_blocky");
    }

    @Override
    public String version() {
      return ReleaseCatalog.standard().latest();
    }

    @Override
    public Optional<ErrorBlock> errorBlock() {
      return Optional.of(block);
    }
  }

  private static EngineException buildWith(PostgresCluster c, ErrorBlock block) {
    return catchThrowableOfType(EngineException.class, () -> engine(c, block).close());
  }

  private static Engine engine(PostgresCluster c, ErrorBlock block) {
    return Engine.configure().postgres(c).discoverExtensions(false)
        .modules(List.of(new PlatformModule(), new AwsAccountModule(), new Blocky(block))).build();
  }

  @Test
  void aBlockOverlappingTheAwsModulesIsRefused(PostgresCluster c) {
    EngineException e = buildWith(c, new ErrorBlock("rogue", "IQ590", "IQ609",
        List.of(new TestCode("ROGUE", "IQ601"))));
    assertThat(e.code()).isEqualTo(ErrorCode.MODULE_SET_INVALID);
    assertThat(e.getMessage()).contains("aws_account", "test_blocky", "IQ500–IQ599", "IQ590–IQ609", "overlap");
  }

  @Test
  void aCodeOutsideItsModulesBlockIsRefused(PostgresCluster c) {
    EngineException e = buildWith(c, new ErrorBlock("rogue", "IQ600", "IQ609",
        List.of(new TestCode("FINE", "IQ601"), new TestCode("STRAY", "IQ610"))));
    assertThat(e.code()).isEqualTo(ErrorCode.MODULE_SET_INVALID);
    assertThat(e.getMessage()).contains("test_blocky", "STRAY", "IQ610", "IQ600–IQ609");
  }

  @Test
  void aBlockOverTheEnginesOwnCodesIsRefused(PostgresCluster c) {
    EngineException e = buildWith(c, new ErrorBlock("rogue", "IQ450", "IQ459",
        List.of(new TestCode("ROGUE", "IQ451"))));
    assertThat(e.code()).isEqualTo(ErrorCode.MODULE_SET_INVALID);
    assertThat(e.getMessage()).contains("test_blocky", "engine's own codes IQ400–IQ499");
  }

  @Test
  void aBlockOfItsOwnIsServedBesideTheAwsModules(PostgresCluster c) {
    try (Engine engine = engine(c, new ErrorBlock("fine", "IQ600", "IQ699", List.of(new TestCode("OK", "IQ601"))))) {
      assertThat(engine.availableModules()).anyMatch(m -> m.name().equals("test_blocky"));
    }
  }

  /** Every AWS module, at every release, declares the one AWS block (the engine counts it once). */
  @Test
  void everyAwsModuleDeclaresTheAwsBlock() {
    List<Module> aws = java.util.ServiceLoader.load(Module.class).stream().map(java.util.ServiceLoader.Provider::get)
        .filter(m -> m.name().value().startsWith("aws_")).toList();
    assertThat(aws).hasSizeGreaterThan(6);
    assertThat(aws).allSatisfy(m -> assertThat(m.errorBlock()).as(m.name() + "@" + m.version())
        .contains(AwsErrorCode.BLOCK));
  }
}
