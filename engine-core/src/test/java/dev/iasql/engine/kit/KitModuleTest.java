package dev.iasql.engine.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.spi.ModuleName;
import dev.iasql.engine.spi.Rpc;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A kit module's SQL functions are declared with the tables they serve, and installed with the module. */
class KitModuleTest {
  record Line(String text) {}

  static final Rpc<Line> TAIL = new Rpc<>("net_tail", List.of(Rpc.Argument.required("net_name")), Line.class,
      "the latest lines of a net", call -> List.of(new Line(call.argument(0).orElseThrow())));

  static final class Nets extends KitModule {
    Nets() {
      super(ModuleName.of("nets"), "0.0.1", List.of(), new Table(ComparisonTest.SPEC, new ComparisonTest.Calls(),
          TAIL), new Table(ContentAndDefaultsTest.GROUP, new ContentAndDefaultsTest.Calls()));
    }
  }

  @Test
  void theModulesFunctionsAreItsTablesFunctions() {
    Nets nets = new Nets();
    assertThat(nets.rpcs()).containsExactly(TAIL);
    assertThat(new KitModule.Table(ContentAndDefaultsTest.GROUP, new ContentAndDefaultsTest.Calls()).functions())
        .as("a table without functions").isEmpty();
  }
}
