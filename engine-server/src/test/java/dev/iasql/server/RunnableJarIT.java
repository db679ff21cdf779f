package dev.iasql.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.functions.FunctionsModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The jars {@code package} wrote (this runs after it, in {@code verify}; see the pom): the runnable jar {@code
 * iasql-server.jar} beside the module's own jar, never over it. A shaded jar written over the module's jar was read
 * back as the module's jar by the next build, whose old copies of the other modules' classes then won over the new
 * ones, so {@code ./iasql serve} ran an engine older than its sources. Run by {@code mvn verify}, or on its own after
 * a package: {@code mvn surefire:test@jars}.
 */
class RunnableJarIT {
  private static final Path TARGET = Path.of(System.getProperty("iasql.build.directory", "target"));
  private static final String OWN = "dev/iasql/server/Main.class";
  /** A class of another module, as this build compiled it: the runnable jar must hold this very copy. */
  private static final String OTHER = FunctionsModule.class.getName().replace('.', '/') + ".class";

  @Test
  void theModulesJarHoldsOnlyItsOwnClasses() throws IOException {
    Path own = TARGET.resolve(System.getProperty("iasql.build.finalName", "missing") + ".jar");
    try (JarFile jar = new JarFile(own.toFile())) {
      assertThat(jar.getEntry(OWN)).as("%s in %s", OWN, own).isNotNull();
      List<String> foreign = jar.stream().map(ZipEntry::getName)
          .filter(n -> n.endsWith(".class") && !n.startsWith("dev/iasql/server/")).limit(5).toList();
      assertThat(foreign).as("classes of other modules and libraries in %s (the shaded jar went over it)", own)
          .isEmpty();
    }
  }

  @Test
  void theRunnableJarHoldsTheClassesThisBuildCompiled() throws IOException {
    Path runnable = TARGET.resolve("iasql-server.jar");
    try (JarFile jar = new JarFile(runnable.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(Main.class.getName());
      assertThat(jar.getEntry(OWN)).isNotNull();
      ZipEntry other = jar.getEntry(OTHER);
      assertThat(other).as("%s in %s", OTHER, runnable).isNotNull();
      byte[] compiled;
      try (InputStream in = FunctionsModule.class.getClassLoader().getResourceAsStream(OTHER)) {
        assertThat(in).as("%s on the class path", OTHER).isNotNull();
        compiled = in.readAllBytes();
      }
      try (InputStream in = jar.getInputStream(other)) {
        assertThat(in.readAllBytes()).as("%s in %s, against the build's own", OTHER, runnable).isEqualTo(compiled);
      }
    }
    assertThat(Files.size(runnable)).isGreaterThan(1_000_000); // every dependency, not the module alone
  }
}
