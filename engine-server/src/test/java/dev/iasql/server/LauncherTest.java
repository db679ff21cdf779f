package dev.iasql.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./iasql} launcher's first build, with its output going to a pipe (a log, CI): no terminal colour codes.
 * The build is Maven's own output as Maven prints it here, from a stand-in {@code mvn} that writes what Maven 3.8
 * writes even in batch mode ({@code ESC[0m}) and leaves an empty jar, which java then refuses.
 */
class LauncherTest {
  @Test
  void theFirstBuildsOutputHasNoColourCodesWhenStderrIsNotATerminal(@TempDir Path root) throws Exception {
    Path launcher = root.resolve("iasql");
    Files.copy(Path.of("..", "iasql"), launcher, StandardCopyOption.COPY_ATTRIBUTES);
    Files.writeString(root.resolve("pom.xml"), "<project/>", UTF_8);
    Path bin = Files.createDirectories(root.resolve("bin"));
    Path mvn = bin.resolve("mvn");
    Files.writeString(mvn, """
        #!/usr/bin/env bash
        printf '\\033[0m\\033[0m\\033[1mmaven says hello\\033[m\\n'
        printf '\\033[0m\\033[1;31mmaven warns\\033[0m\\n' >&2
        mkdir -p engine-server/target && : > engine-server/target/iasql-server.jar
        """, UTF_8);
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));

    ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "--version")
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), UTF_8);
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(err).contains("building the server", "maven says hello", "maven warns")
        .doesNotContain("\u001b");
  }
}
