package dev.iasql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The public Java surface an embedding server or a module author codes against (the API, SPI, error and guard
 * packages) is pinned to {@code api-surface.txt}. A change is a decision: regenerate the file on purpose with
 * {@code mvn -pl engine-core test -Dtest=ApiSurfaceTest -Dsurface.update=true} and commit it with the change.
 */
class ApiSurfaceTest {
  private static final List<String> PACKAGES = List.of("dev.iasql.engine", "dev.iasql.engine.spi",
      "dev.iasql.engine.error", "dev.iasql.engine.guard", "dev.iasql.engine.kit");
  private static final Path PINNED = Path.of("src/test/resources/api-surface.txt");

  @Test
  void thePublicSurfaceIsTheOnePinned() throws Exception {
    List<String> actual = surface();
    if (Boolean.getBoolean("surface.update")) {
      Files.write(PINNED, actual, StandardCharsets.UTF_8);
    }
    List<String> pinned = Files.readAllLines(PINNED, StandardCharsets.UTF_8);
    assertThat(actual).as("the public API/SPI; if this change is meant, regenerate api-surface.txt (see Javadoc)")
        .containsExactlyElementsOf(pinned);
  }

  private static List<String> surface() {
    List<String> lines = new ArrayList<>();
    for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(PACKAGES.toArray(String[]::new))) {
      if (!PACKAGES.contains(c.getPackageName()) || !c.getModifiers().contains(JavaModifier.PUBLIC)) {
        continue;
      }
      String type = c.getName();
      lines.add(type + " " + c.getModifiers().stream().map(Enum::name).sorted().collect(Collectors.joining(" ")));
      c.getConstructors().stream().filter(m -> m.getModifiers().contains(JavaModifier.PUBLIC))
          .forEach(m -> lines.add(type + " new(" + params(m.getRawParameterTypes()) + ")"));
      c.getMethods().stream().filter(m -> m.getModifiers().contains(JavaModifier.PUBLIC))
          .filter(m -> !m.getModifiers().contains(JavaModifier.SYNTHETIC)
              && !m.getModifiers().contains(JavaModifier.BRIDGE))
          .forEach(m -> lines.add(type + " " + (m.getModifiers().contains(JavaModifier.STATIC) ? "static " : "")
              + m.getName() + "(" + params(m.getRawParameterTypes()) + ") -> " + m.getRawReturnType().getName()));
      c.getFields().stream().filter(f -> f.getModifiers().contains(JavaModifier.PUBLIC))
          .forEach(f -> lines.add(type + " field " + f.getName() + " : " + f.getRawType().getName()));
    }
    return lines.stream().sorted().toList();
  }

  private static String params(List<JavaClass> types) {
    return types.stream().map(JavaClass::getName).collect(Collectors.joining(", "));
  }
}
