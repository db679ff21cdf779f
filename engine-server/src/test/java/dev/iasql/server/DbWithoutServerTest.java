package dev.iasql.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.server.cli.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The db commands when there is nothing to talk to: a clear message naming ./iasql serve, and exit code 3. */
class DbWithoutServerTest {
  @TempDir Path temp;

  @Test
  void aDataDirectoryThatDoesNotExist() {
    Path dir = temp.resolve("never-served");
    Cli.Result r = Cli.run("db", "create", "prod", "--data-dir", dir.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.NOT_RUNNING);
    assertThat(r.err()).contains("no IaSQL server is running", dir.toString(), "./iasql serve --data-dir");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aDataDirectoryWithoutServerProperties() throws IOException {
    Files.writeString(temp.resolve("admin-password"), "x\n");
    Cli.Result r = Cli.run("db", "list", "--data-dir", temp.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.NOT_RUNNING);
    assertThat(r.err()).contains("no IaSQL server is running", "server.properties", "./iasql serve");
  }

  @Test
  void serverPropertiesLeftByAKilledServer() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Files.writeString(temp.resolve("server.properties"), "pid=" + gone.pid() + "\nhost=127.0.0.1\nport=5433\n"
        + "admin_user=postgres\nstarted_at=2026-01-01T00:00:00Z\n");
    Cli.Result r = Cli.run("db", "drop", "prod", "--data-dir", temp.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.NOT_RUNNING);
    assertThat(r.err()).contains("pid " + gone.pid(), "gone", "./iasql serve");
  }

  @Test
  void anExternalClusterThatDoesNotAnswer() {
    int closed = ServerProcess.freePort();
    Cli.Result r = Cli.run("db", "list", "--postgres-url", "postgresql://admin:secret@127.0.0.1:" + closed + "/");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.NOT_RUNNING);
    assertThat(r.err()).contains("cannot reach PostgreSQL").doesNotContain("secret");
  }

  @Test
  void anInvalidUrlIsAUsageErrorThatDoesNotEchoThePassword() {
    Cli.Result r = Cli.run("db", "list", "--postgres-url", "mysql://admin:secret@127.0.0.1/");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("--postgres-url").doesNotContain("secret");
  }

  @Test
  void dataDirAndPostgresUrlExcludeEachOther() {
    Cli.Result r = Cli.run("db", "list", "--data-dir", temp.toString(), "--postgres-url", "postgresql://a:b@h/");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("exclude each other");
  }
}
