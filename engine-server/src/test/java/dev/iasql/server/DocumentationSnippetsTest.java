package dev.iasql.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every Java example a user reads compiles: the README's {@code ```java} blocks and the {@code <pre>{@code …}</pre>}
 * and {@code {@snippet …}} examples in the Javadoc of the library modules, against the engine's artifacts. A snippet
 * is a whole source file, class members, or statements (wrapped in a method); {@link #IMPORTS} are prepended.
 */
class DocumentationSnippetsTest {
  /** The repository root: surefire runs each module's tests in the module's directory. */
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> LIBRARY_MODULES =
      List.of("engine-core", "engine-functions", "engine-aws", "engine-postgres", "engine-testkit");
  /** Single-type imports where a name is also in java.lang ({@code Module}) or in two packages below. */
  private static final String IMPORTS = """
      import dev.iasql.engine.*;
      import dev.iasql.engine.guard.*;
      import dev.iasql.engine.kit.*;
      import dev.iasql.engine.spi.*;
      import dev.iasql.engine.spi.Module;
      import dev.iasql.engine.release.ReleaseCatalog;
      import dev.iasql.aws.*;
      import dev.iasql.postgres.*;
      import dev.iasql.testkit.*;
      import java.net.URI;
      import java.nio.file.*;
      import java.sql.*;
      import java.time.*;
      import java.util.*;
      import java.util.List;
      import org.junit.jupiter.api.*;
      import org.junit.jupiter.api.extension.*;
      import software.amazon.awssdk.services.ec2.*;
      import software.amazon.awssdk.services.ec2.model.*;
      """;
  private static final Pattern README_BLOCK = Pattern.compile("(?m)^```java\\n(.*?)^```", Pattern.DOTALL);
  private static final Pattern PRE_CODE = Pattern.compile("<pre>\\{@code\\s*\\n(.*?)\\}</pre>", Pattern.DOTALL);
  private static final Pattern SNIPPET = Pattern.compile("\\{@snippet[^:}]*:\\s*\\n");

  record Snippet(String where, String code) {
    @Override
    public String toString() {
      return where;
    }
  }

  static List<Snippet> snippets() throws IOException {
    List<Snippet> found = new ArrayList<>();
    String readme = Files.readString(ROOT.resolve("README.md"));
    Matcher m = README_BLOCK.matcher(readme);
    while (m.find()) {
      found.add(new Snippet("README.md line " + lineOf(readme, m.start()), m.group(1)));
    }
    for (String module : LIBRARY_MODULES) {
      List<Path> sources;
      try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
        sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      }
      for (Path source : sources) {
        String text = Files.readString(source);
        Matcher pre = PRE_CODE.matcher(text);
        while (pre.find()) {
          found.add(new Snippet(ROOT.relativize(source) + " line " + lineOf(text, pre.start()),
              fromJavadoc(pre.group(1))));
        }
        Matcher snippet = SNIPPET.matcher(text);
        while (snippet.find()) {
          // An inline snippet ends at the brace that balances its opening one.
          int depth = 1;
          int end = snippet.end();
          for (; end < text.length() && depth > 0; end++) {
            depth += text.charAt(end) == '{' ? 1 : text.charAt(end) == '}' ? -1 : 0;
          }
          found.add(new Snippet(ROOT.relativize(source) + " line " + lineOf(text, snippet.start()),
              fromJavadoc(text.substring(snippet.end(), end - 1))));
        }
      }
    }
    return found;
  }

  @Test
  void theReadmeAndTheJavadocHaveExamples() throws IOException {
    assertThat(snippets()).extracting(Snippet::where)
        .anyMatch(w -> w.startsWith("README.md"))
        .anyMatch(w -> w.contains("Engine.java"));
  }

  /** The README's embedding section shows the example project's program, whole, and it stays short. */
  @Test
  void theReadmeEmbeddingExampleIsTheExampleProject() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String section = readme.substring(readme.indexOf("## Embedding the engine"));
    Matcher block = README_BLOCK.matcher(section);
    assertThat(block.find()).as("a java block in the embedding section").isTrue();
    String example = Files.readString(
        ROOT.resolve("examples/embedded-host/src/main/java/dev/iasql/examples/EmbeddedHost.java"));
    String withoutPackage = example.substring(example.indexOf('\n', example.indexOf("package ")) + 1).strip();

    assertThat(block.group(1).strip()).isEqualTo(withoutPackage);
    assertThat(block.group(1).lines().count()).as("lines of the README's example").isLessThan(40);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("snippets")
  void compiles(Snippet snippet) {
    String code = snippet.code();
    List<String> attempts = new ArrayList<>();
    if (Pattern.compile("(?m)^(import |(public |final |abstract )*(class|record|interface) )").matcher(code).find()) {
      attempts.add(IMPORTS + code);
    } else {
      attempts.add(IMPORTS + "class Snippet {\n  void run() throws Exception {\n" + code + "\n  }\n}\n");
      attempts.add(IMPORTS + "abstract class Snippet {\n" + code + "\n}\n");
    }
    String firstErrors = null;
    for (String source : attempts) {
      String errors = compile(source);
      if (errors.isEmpty()) {
        return;
      }
      if (firstErrors == null) {
        firstErrors = errors;
      }
    }
    throw new AssertionError(snippet.where() + " does not compile:\n" + firstErrors + "\n--- snippet ---\n" + code);
  }

  /** Compiler errors, or "" when it compiles (warnings are not errors: a snippet may leave a result unused). */
  private static String compile(String source) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    String className = publicClass(source);
    JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + className + ".java"),
        JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source;
      }
    };
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
        StandardCharsets.UTF_8)) {
      Path out = Files.createTempDirectory("snippet");
      List<String> options = List.of("-proc:none", "-d", out.toString(), "-classpath",
          System.getProperty("java.class.path"));
      Boolean ok = javac.getTask(new StringWriter(), files, diagnostics, options, null, List.of(file)).call();
      StringBuilder errors = new StringBuilder();
      diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR)
          .forEach(d -> errors.append("line ").append(d.getLineNumber() - IMPORTS.lines().count()).append(": ")
              .append(d.getMessage(Locale.ROOT)).append('\n'));
      return ok ? "" : errors.length() > 0 ? errors.toString() : "failed without a diagnostic";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String publicClass(String source) {
    Matcher m = Pattern.compile("(?m)^public (final |abstract )*(class|record|interface) (\\w+)").matcher(source);
    return m.find() ? m.group(3) : "Snippet";
  }

  /** A Javadoc block's code: without the leading {@code *}, with the entities Javadoc needs for {@code @}. */
  private static String fromJavadoc(String body) {
    StringBuilder code = new StringBuilder();
    for (String line : body.split("\n", -1)) {
      code.append(line.replaceFirst("^\\s*\\* ?", "")).append('\n');
    }
    return code.toString().replace("&#64;", "@").replace("{@literal @}", "@");
  }

  private static int lineOf(String text, int offset) {
    return (int) text.substring(0, offset).lines().count() + 1;
  }
}
