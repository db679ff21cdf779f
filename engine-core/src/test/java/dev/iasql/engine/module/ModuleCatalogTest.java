package dev.iasql.engine.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.spi.Module;
import dev.iasql.engine.spi.ModuleName;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Catalog rules, with modules built from lambdas of our own SPI (no database needed). */
class ModuleCatalogTest {
  private static Module module(String name, String... deps) {
    return new Module() {
      @Override
      public ModuleName name() {
        return ModuleName.of(name);
      }

      @Override
      public String version() {
        return "0.0.20";
      }

      @Override
      public List<ModuleName> dependencies() {
        return Arrays.stream(deps).map(ModuleName::of).toList();
      }
    };
  }

  @Test
  void dependencyOrderPutsDependenciesFirstOnce() {
    ModuleCatalog catalog = new ModuleCatalog(List.of(module("aws_account"), module("aws_vpc", "aws_account"),
        module("aws_security_group", "aws_vpc", "aws_account")));
    assertThat(catalog.dependencyOrder(catalog.require("aws_security_group"))).extracting(m -> m.name().value())
        .containsExactly("aws_account", "aws_vpc", "aws_security_group");
  }

  /** IaSQL v0.0.20's {@code test/common/dep-sorting.ts}: 'should sort from root to leaf order'. */
  @Test
  void installOrderSortsFromRootToLeaf() {
    ModuleCatalog catalog = rootMiddleLeaves();
    List<Module> sorted = catalog.installOrder(requested(catalog, "leaf1", "leaf2", "middle", "root"), Set.of());
    assertThat(sorted.get(0).name().value()).isEqualTo("root");
    assertThat(sorted.indexOf(catalog.require("middle"))).isLessThan(sorted.indexOf(catalog.require("leaf2")));
    assertThat(sorted).hasSize(4);
  }

  /** dep-sorting.ts: 'should sort child nodes correctly if root is excluded' (already installed). */
  @Test
  void installOrderSortsChildrenWhenTheRootIsExcluded() {
    ModuleCatalog catalog = rootMiddleLeaves();
    List<Module> sorted = catalog.installOrder(requested(catalog, "leaf1", "leaf2", "middle", "root"),
        Set.of("root"));
    assertThat(sorted).extracting(m -> m.name().value()).doesNotContain("root").hasSize(3);
    assertThat(sorted.indexOf(catalog.require("middle"))).isLessThan(sorted.indexOf(catalog.require("leaf2")));
  }

  private static ModuleCatalog rootMiddleLeaves() {
    return new ModuleCatalog(List.of(module("leaf1", "root"), module("leaf2", "middle"), module("middle", "root"),
        module("root")));
  }

  private static List<Module> requested(ModuleCatalog catalog, String... names) {
    return Arrays.stream(names).map(catalog::require).toList();
  }

  @Test
  void refusesMissingDependenciesCyclesAndDuplicates() {
    assertThatThrownBy(() -> new ModuleCatalog(List.of(module("a", "b")))).hasMessageContaining("depends on b");
    assertThatThrownBy(() -> new ModuleCatalog(List.of(module("a", "b"), module("b", "a"))))
        .hasMessageContaining("cycle");
    Module other = new Module() {
      @Override
      public ModuleName name() {
        return ModuleName.of("a");
      }

      @Override
      public String version() {
        return "0.0.20";
      }
    };
    assertThatThrownBy(() -> new ModuleCatalog(List.of(module("a"), other)))
        .hasMessageContaining("two modules are named a");
    // the same class listed twice (a services file seen twice on the class path) is one module
    assertThat(new ModuleCatalog(List.of(module("a"), module("a"))).all()).hasSize(1);
  }

  @Test
  void unknownNamesSuggestTheClosest() {
    ModuleCatalog catalog = new ModuleCatalog(List.of(module("aws_vpc"), module("aws_ec2"), module("aws_iam")));
    assertThatThrownBy(() -> catalog.require("aws_vcp"))
        .isInstanceOfSatisfying(EngineException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_MODULE);
          assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("aws_vpc"));
        });
    assertThatThrownBy(() -> catalog.require("something_else_entirely"))
        .isInstanceOfSatisfying(EngineException.class,
            e -> assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("iasql_modules_list")));
    assertThat(catalog.require("AWS_VPC").name().value()).isEqualTo("aws_vpc");
  }

  @Test
  void suggestionsRankByDistance() {
    assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Suggestions.closest("aws_vpcc", List.of("aws_vpc", "aws_ec2", "aws_vpc_endpoint")))
        .startsWith("aws_vpc");
  }

  /** Through the Java API nothing bounds a name: it must neither cost length × length nor make a huge message. */
  @Test
  void aHugeUnknownNameIsRefusedAtOnceWithAShortMessage() {
    ModuleCatalog catalog = new ModuleCatalog(List.of(module("aws_account"), module("aws_vpc", "aws_account")));
    String huge = "b".repeat(100 * 1024 * 1024);
    long started = System.nanoTime();
    assertThatThrownBy(() -> catalog.require(huge)).isInstanceOfSatisfying(EngineException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_MODULE);
      assertThat(e.getMessage()).hasSizeLessThan(200).endsWith("(104857600 characters)");
    });
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_000);
    assertThatThrownBy(() -> catalog.require("x\n2026-12-06 INFO fake line"))
        .hasMessage("there is no module named \"x\\n2026-12-06 INFO fake line\"");
  }
}
