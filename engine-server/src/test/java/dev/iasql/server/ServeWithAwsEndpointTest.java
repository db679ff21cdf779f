package dev.iasql.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.server.cli.ExitCode;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iasql serve --aws-endpoint URL} sends the engine's AWS requests to that endpoint (moto here): the server
 * process has no AWS_ENDPOINT_URL of its own, so only the option can point it there. Without the option, the SDK's
 * standard {@code AWS_ENDPOINT_URL} environment variable does the same.
 */
class ServeWithAwsEndpointTest {
  @TempDir Path temp;

  @Test
  void theEngineReachesTheCloudGivenOnTheCommandLine() throws Exception {
    Moto moto = Moto.start();
    Path dataDir = temp.resolve("data");
    try (ServerProcess server = ServerProcess.start(dataDir, "serve", "--data-dir", dataDir.toString(), "--port",
        Integer.toString(ServerProcess.freePort()), "--aws-endpoint", moto.endpoint()).awaitReady()) {
      installsAwsVpcFromMoto(dataDir, moto);
      assertThat(server.log()).contains("AWS requests go to " + moto.endpoint())
          .doesNotContain(moto.account().secretAccessKey());
    } finally {
      ServerProcess.stopOrphanedPostgres(dataDir);
    }
  }

  @Test
  void theEngineReachesTheCloudOfTheStandardEnvironmentVariable() throws Exception {
    Moto moto = Moto.start();
    Path dataDir = temp.resolve("data");
    try (ServerProcess server = ServerProcess.start(dataDir, Map.of("AWS_ENDPOINT_URL", moto.endpoint()), "serve",
        "--data-dir", dataDir.toString(), "--port", Integer.toString(ServerProcess.freePort())).awaitReady()) {
      installsAwsVpcFromMoto(dataDir, moto);
      assertThat(server.log()).as("the log says where AWS requests go, and from where it knows")
          .contains("AWS requests go to " + moto.endpoint() + " (AWS_ENDPOINT_URL)")
          .doesNotContain(moto.account().secretAccessKey());
    } finally {
      ServerProcess.stopOrphanedPostgres(dataDir);
    }
  }

  /**
   * Through the server of {@code dataDir}: a new database, moto's keys in aws_account, and aws_vpc installed with the
   * default VPC moto has (AWS would refuse the keys).
   */
  private static void installsAwsVpcFromMoto(Path dataDir, Moto moto) throws SQLException {
    Cli.Result created = Cli.run("db", "create", "cloudy", "--data-dir", dataDir.toString());
    assertThat(created.exitCode()).as(created.toString()).isZero();
    try (Connection tenant = ServeAndDbTest.connect(created.lastLine())) {
      Sql.rows(tenant, "SELECT * FROM iasql_install('aws_account')");
      Sql.exec(tenant, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
          moto.account().accessKeyId(), moto.account().secretAccessKey());
      Sql.rows(tenant, "SELECT * FROM iasql_install('aws_vpc')");
      assertThat(Sql.value(tenant, "SELECT count(*) FROM vpc WHERE is_default")).isEqualTo(1L);
    }
  }

  @Test
  void anEndpointThatIsNotAUrlIsAUsageError() {
    Cli.Result r = Cli.run("serve", "--aws-endpoint", "not a url");
    assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("--aws-endpoint");
  }
}
