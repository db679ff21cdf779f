package dev.iasql.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerFileTest {
  @TempDir Path dir;

  private static final long OWN_PID = ProcessHandle.current().pid();

  @Test
  void roundTrips() throws IOException {
    ServerFile f = new ServerFile(OWN_PID, "127.0.0.1", 5433, "postgres", "1.2.3", Instant.parse("2026-01-02T03:04:05Z"));
    f.write(dir);
    assertThat(ServerFile.read(dir)).contains(f);
    assertThat(ServerFile.read(dir).orElseThrow().processAlive()).isTrue();
    assertThat(Files.readString(ServerFile.path(dir))).doesNotContainIgnoringCase("password=");
  }

  @Test
  void noFileMeansNoServer() throws IOException {
    assertThat(ServerFile.read(dir)).isEmpty();
  }

  @Test
  void aMalformedFileSaysWhatToDo() throws IOException {
    Files.writeString(ServerFile.path(dir), "pid=abc\n");
    assertThatThrownBy(() -> ServerFile.read(dir)).isInstanceOf(IOException.class)
        .hasMessageContaining("malformed").hasMessageContaining("delete it");
  }

  @Test
  void onlyTheWriterDeletesIt() throws IOException {
    new ServerFile(OWN_PID, "127.0.0.1", 5433, "postgres", "1", Instant.now()).write(dir);
    ServerFile.deleteIfWrittenBy(dir, OWN_PID + 1);
    assertThat(ServerFile.exists(dir)).isTrue();
    ServerFile.deleteIfWrittenBy(dir, OWN_PID);
    assertThat(ServerFile.exists(dir)).isFalse();
  }
}
