package dev.iasql.aws.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iasql.aws.AwsEngineExtension;
import dev.iasql.aws.AwsErrorCode;
import dev.iasql.aws.AwsSettings;
import dev.iasql.aws.vpc.AwsTestDb;
import dev.iasql.engine.Call;
import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.TestDatabase;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * AWS settings belong to an engine, not to the JVM: two engines in one JVM reach each its own endpoint, and an engine
 * that closes takes its SDK clients, HTTP transport and their threads with it.
 */
@ExtendWith(IasqlExtension.class)
class PerEngineAwsTest {
  /** Threads of the AWS SDK, its Apache transport, and this engine's AWS plumbing. */
  private static final Pattern AWS_THREAD =
      Pattern.compile("(?i).*(sdk|aws|idle-connection-reaper|iasql-cloud).*");
  /** Nothing listens there: connections are refused at once. */
  private static final URI NOWHERE = URI.create("http://127.0.0.1:1");

  private static Engine engine(PostgresCluster cluster, AwsSettings aws) {
    // No bridge: these engines are driven through the Java API, and leave SQL calls to the shared engine.
    return Engine.configure().postgres(cluster).discoverExtensions(false).extension(AwsEngineExtension.with(aws))
        .reconcileEvery(Duration.ofHours(1)).build();
  }

  @Test
  void twoEnginesInOneJvmEachReachTheirOwnEndpoint(TestDatabase db, PostgresCluster cluster) throws Exception {
    AwsTestDb.install(db, "us-east-1", "aws_account");
    Moto moto = Moto.start();
    try (Engine toMoto = engine(cluster, AwsSettings.builder().endpoint(URI.create(moto.endpoint())).build());
        Engine toNowhere = engine(cluster, AwsSettings.builder().endpoint(NOWHERE).maxAttempts(1).build())) {
      toMoto.sync(toMoto.permit(db.databaseName()), Call.create());

      EngineException e = catchThrowableOfType(EngineException.class,
          () -> toNowhere.sync(toNowhere.permit(db.databaseName()), Call.create()));
      assertThat(e.code()).isEqualTo(AwsErrorCode.CLOUD_UNREACHABLE);
      assertThat(e.getMessage() + " " + e.hint().orElse("")).contains("127.0.0.1:1");
      assertThat(e.hint()).get().asString().contains(NOWHERE + " (this engine's AWS endpoint");

      // The other engine's failure changed nothing for this one.
      assertThat(toMoto.sync(toMoto.permit(db.databaseName()), Call.create())).isEmpty();
    }
  }

  @Test
  void closingAnEngineEndsItsAwsThreads(TestDatabase db, PostgresCluster cluster) throws Exception {
    AwsTestDb.install(db, "us-east-1", "aws_account");
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    Set<Thread> appeared;
    try (Engine engine = engine(cluster, AwsSettings.builder().endpoint(URI.create(Moto.start().endpoint())).build())) {
      engine.sync(engine.permit(db.databaseName()), Call.create());
      appeared = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> !before.contains(t) && AWS_THREAD.matcher(t.getName()).matches())
          .collect(Collectors.toSet());
    }
    assertThat(appeared).as("the sync started AWS threads").isNotEmpty();
    for (Thread t : appeared) {
      t.join(5_000); // a closed executor's threads end right after close() returns
    }
    assertThat(appeared.stream().filter(Thread::isAlive).map(Thread::getName).toList())
        .as("AWS threads of the engine still alive after close()").isEmpty();
  }

  @Test
  void settingsOutOfRangeAreRefusedWithTheirCode() {
    EngineException e = catchThrowableOfType(EngineException.class,
        () -> AwsSettings.builder().endpoint(URI.create("ftp://example.com")).build());
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.getMessage()).contains("ftp://example.com");
    assertThat(catchThrowableOfType(EngineException.class, () -> AwsSettings.builder().maxConcurrency(0).build())
        .getMessage()).contains("maxConcurrency");
    assertThat(List.of(AwsSettings.defaults().maxAttempts())).containsExactly(3);
  }
}
