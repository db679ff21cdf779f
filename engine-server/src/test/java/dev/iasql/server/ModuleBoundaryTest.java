package dev.iasql.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.iasql.engine.Engine;
import dev.iasql.engine.guard.Permit;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an outside host can reach, compiled and run the way it would be: against the built jars, on the module path
 * (module-info: only the API packages are exported) and on the class path (the engine's jar is sealed). The host's
 * code is compiled here with javac, so each test fails if a boundary moves.
 */
class ModuleBoundaryTest {
  /** The class path's jars a host would have too: everything but the test tools. */
  private static final List<String> TEST_TOOLS = List.of("junit", "opentest4j", "apiguardian", "assertj", "archunit",
      "byte-buddy", "surefire", "engine-testkit", "test-classes", "logback");

  @TempDir Path dir;

  @Test
  void theExportsAreTheApiPackagesOnly() {
    Map<String, String> exports = new TreeMap<>();
    for (ModuleReference m : ModuleFinder.of(jar(Engine.class), jar(dev.iasql.functions.Bridge.class),
        jar(dev.iasql.aws.AwsEngineExtension.class)).findAll()) {
      for (ModuleDescriptor.Exports e : m.descriptor().exports()) {
        exports.put(e.source(), e.isQualified() ? "to " + String.join(",", new TreeSet<>(e.targets()))
            : "everyone");
      }
    }
    assertThat(exports).as("a new export is a decision: it makes a package API (and pin it in api-surface.txt)")
        .containsExactlyEntriesOf(new TreeMap<>(Map.ofEntries(
            Map.entry("dev.iasql.engine", "everyone"),
            Map.entry("dev.iasql.engine.error", "everyone"),
            Map.entry("dev.iasql.engine.guard", "everyone"),
            Map.entry("dev.iasql.engine.kit", "everyone"),
            Map.entry("dev.iasql.engine.release", "everyone"),
            Map.entry("dev.iasql.engine.spi", "everyone"),
            Map.entry("dev.iasql.engine.operation", "to dev.iasql.functions"),
            Map.entry("dev.iasql.engine.platform", "to dev.iasql.functions"),
            Map.entry("dev.iasql.engine.sql", "to dev.iasql.functions"),
            Map.entry("dev.iasql.functions", "to org.postgresql.jdbc"),
            Map.entry("dev.iasql.aws", "everyone"))));
  }

  /** The module path finds services through module-info, the class path through META-INF/services: the same ones. */
  @Test
  void bothPathsFindTheSameServices() throws IOException {
    for (Class<?> c : List.of(Engine.class, dev.iasql.functions.Bridge.class, dev.iasql.aws.AwsEngineExtension.class)) {
      ModuleReference m = ModuleFinder.of(jar(c)).findAll().iterator().next();
      Map<String, List<String>> fromDescriptor = new TreeMap<>();
      m.descriptor().provides().forEach(p -> fromDescriptor.put(p.service(), List.copyOf(p.providers())));
      Map<String, List<String>> fromFiles = new TreeMap<>();
      try (var reader = m.open()) {
        for (String name : reader.list().filter(n -> n.startsWith("META-INF/services/") && !n.endsWith("/"))
            .toList()) {
          try (var in = reader.open(name).orElseThrow()) {
            fromFiles.put(name.substring("META-INF/services/".length()), new String(in.readAllBytes(),
                StandardCharsets.UTF_8).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList());
          }
        }
      }
      assertThat(fromDescriptor).as(m.descriptor().name()).isEqualTo(fromFiles);
    }
  }

  @Test
  void aModulePathHostCompilesAgainstTheApi() throws IOException {
    writeHostModule("""
        package host;
        import dev.iasql.engine.Engine;
        import dev.iasql.engine.guard.Permit;
        import dev.iasql.postgres.PostgresCluster;
        public final class Main {
          static Class<?>[] api() { return new Class<?>[] {Engine.class, Permit.class, PostgresCluster.class}; }
        }
        """);
    assertThat(compileModule()).as("javac's output").isEmpty();
  }

  @Test
  void theEnginesInternalsAreNotVisibleOnTheModulePath() throws IOException {
    for (String internal : List.of("dev.iasql.engine.upgrade.Upgrader", "dev.iasql.engine.upgrade.UpgradeLease",
        "dev.iasql.engine.metadata.MetadataStore", "dev.iasql.engine.module.Installer",
        "dev.iasql.engine.cloud.Reconciler", "dev.iasql.engine.sql.Pools", "dev.iasql.engine.operation.OperationLog")) {
      writeHostModule("package host;\nimport " + internal + ";\npublic final class Main {}\n");
      String pkg = internal.substring(0, internal.lastIndexOf('.'));
      assertThat(compileModule()).as(internal).contains("package " + pkg + " is not visible");
    }
  }

  @Test
  void aClassInTheGuardsPackageCannotJoinTheEngineOnTheModulePath() throws IOException {
    Path src = dir.resolve("forged/dev/iasql/engine/guard/ForgedPermit.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, FORGED_PERMIT);
    String out = javac("--module-path", modulePath(), "--add-modules", "dev.iasql.engine", "-d",
        dir.resolve("out").toString(), src.toString());
    assertThat(out).contains("package exists in another module: dev.iasql.engine");
  }

  /**
   * On the class path, the same class compiles (javac sees no modules) but cannot be loaded beside the engine: its
   * jar is sealed, so Permit's package-private constructor stays the engine's own.
   */
  @Test
  void aClassInTheGuardsPackageCannotJoinTheEngineOnTheClassPath() throws Exception {
    Path engineJar = jar(Engine.class);
    assertThat(engineJar.toString()).as("engine-core comes from its jar (run with mvn verify, which packages it)")
        .endsWith(".jar");
    Path src = dir.resolve("forged/dev/iasql/engine/guard/ForgedPermit.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, FORGED_PERMIT);
    Path classes = dir.resolve("forged-classes");
    assertThat(javac("-proc:none", "-cp", System.getProperty("java.class.path"), "-d", classes.toString(),
        src.toString())).as("javac's output").isEmpty();
    // The engine's jar first, then the forgery, in one loader, as a class path would put them.
    try (URLClassLoader loader = new URLClassLoader(new URL[] {engineJar.toUri().toURL(), classes.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      assertThat(Class.forName(Permit.class.getName(), false, loader).getPackage().isSealed()).isTrue();
      Throwable t = catchThrowable(() -> Class.forName("dev.iasql.engine.guard.ForgedPermit", true, loader));
      assertThat(t).isInstanceOf(SecurityException.class).hasMessageContaining("sealing violation");
    }
  }

  /**
   * A host on the module path starts the engine on embedded PostgreSQL, creates a database and installs a module:
   * the service bindings (bridge, modules) and the reflective socket factory work with the module descriptors.
   */
  @Test
  void aModulePathHostRunsTheEngine() throws Exception {
    writeHostModule("""
        package host;
        import dev.iasql.engine.Call;
        import dev.iasql.engine.DatabaseName;
        import dev.iasql.engine.Engine;
        import dev.iasql.postgres.EmbeddedOptions;
        import dev.iasql.postgres.PostgresCluster;
        import java.nio.file.Path;
        import java.util.List;
        public final class Main {
          public static void main(String[] args) throws Exception {
            try (PostgresCluster pg = PostgresCluster.embedded(EmbeddedOptions.persistent(Path.of(args[0]), 0));
                 Engine engine = Engine.configure().postgres(pg).build()) {
              engine.createDatabase("modular");
              var r = engine.install(engine.permit(DatabaseName.of("modular")), List.of("aws_account"), Call.create());
              System.out.println("installed " + r);
            }
          }
        }
        """);
    assertThat(compileModule()).as("javac's output").isEmpty();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "--module-path",
        dir.resolve("host-classes") + File.pathSeparator + modulePath(), "-m", "host/host.Main",
        dir.resolve("pgdata").toString()).redirectErrorStream(true).start();
    String out;
    try (var in = p.getInputStream()) {
      boolean done = p.waitFor(120, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
      }
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("installed").contains("aws_account");
  }

  private void writeHostModule(String main) throws IOException {
    Path src = dir.resolve("host");
    Files.createDirectories(src.resolve("host"));
    Files.writeString(src.resolve("module-info.java"),
        "module host { requires dev.iasql.engine; requires dev.iasql.postgres; }\n");
    Files.writeString(src.resolve("host/Main.java"), main);
  }

  private String compileModule() {
    Path src = dir.resolve("host");
    return javac("-proc:none", "--module-path", modulePath(), "-d", dir.resolve("host-classes").toString(),
        src.resolve("module-info.java").toString(), src.resolve("host/Main.java").toString());
  }

  private static String javac(String... args) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    javac.run(null, out, out, args);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String modulePath() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> TEST_TOOLS.stream().noneMatch(e::contains))
        .filter(e -> e.endsWith(".jar"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static Path jar(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final String FORGED_PERMIT = """
      package dev.iasql.engine.guard;
      import dev.iasql.engine.DatabaseName;
      /** What host code once did to get past the guard: Permit's package-private constructor. */
      public final class ForgedPermit {
        private ForgedPermit() {}
        public static Object forge(Guard guard) {
          return new Permit(DatabaseName.of("victim"), "0.0.18", new Permit.Ordinary(), guard);
        }
      }
      """;

}
