package dev.iasql.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.server.cli.CommandFailure;
import dev.iasql.server.cli.ExitCode;
import dev.iasql.server.cli.Location;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The refusals that happen before PostgreSQL is touched, so the data directory stays as it was. */
class RunningServerTest {
  @TempDir Path dir;

  @Test
  void refusesADataDirectoryAnotherLiveServerAdvertises() throws IOException {
    long live = ProcessHandle.current().pid();
    new ServerFile(live, "127.0.0.1", 54321, "postgres", "1", Instant.now()).write(dir);
    assertThatThrownBy(() -> RunningServer.start(new Location.Embedded(dir, false), 0))
        .isInstanceOfSatisfying(CommandFailure.class, f -> {
          assertThat(f.exitCode()).isEqualTo(ExitCode.FAILED);
          assertThat(String.join("\n", f.lines())).contains("already running", "pid " + live, "54321");
        });
    assertThat(entries()).containsExactly(ServerFile.path(dir));
  }

  @Test
  void refusesAPortInUseWithoutWaitingForPostgres() throws IOException {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> RunningServer.start(new Location.Embedded(dir, false), busy.getLocalPort()))
          .isInstanceOfSatisfying(CommandFailure.class, f -> assertThat(String.join("\n", f.lines()))
              .contains("port " + busy.getLocalPort(), "in use", "--port"));
    }
    assertThat(entries()).isEmpty();
  }

  private List<Path> entries() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }
}
