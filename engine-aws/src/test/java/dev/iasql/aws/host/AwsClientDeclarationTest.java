package dev.iasql.aws.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iasql.aws.AwsModule;
import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.platform.PlatformModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.ModuleName;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** A module declares the SDK clients it calls; one it cannot have fails build(), not a user's first apply. */
@ExtendWith(IasqlExtension.class)
class AwsClientDeclarationTest {
  /** Looks like a client and is none: no static builder(). */
  interface NotAClient extends SdkClient {}

  private record Declaring(Supplier<List<Class<? extends SdkClient>>> clients) implements AwsModule {
    @Override
    public ModuleName name() {
      return ModuleName.of("test_declaring");
    }

    @Override
    public String version() {
      return ReleaseCatalog.standard().latest();
    }

    @Override
    public List<Class<? extends SdkClient>> awsClients() {
      return clients.get();
    }
  }

  private static Engine build(PostgresCluster c, Declaring m) {
    return Engine.configure().postgres(c).modules(List.of(new PlatformModule(), m)).discoverExtensions(false)
        .reconcileEvery(java.time.Duration.ofHours(1)).build();
  }

  @Test
  void declaredClientsOfTheClassPathAreAccepted(PostgresCluster c) {
    try (Engine engine = build(c, new Declaring(() -> List.of(Ec2Client.class, SqsClient.class)))) {
      assertThat(engine.availableModules()).anyMatch(m -> m.name().equals("test_declaring"));
    }
  }

  @Test
  void aTypeThatIsNoClientFailsBuild(PostgresCluster c) {
    EngineException e = catchThrowableOfType(EngineException.class,
        () -> build(c, new Declaring(() -> List.of(NotAClient.class))).close());
    assertThat(e.code()).isEqualTo(ErrorCode.MODULE_SET_INVALID);
    assertThat(e.getMessage()).contains("test_declaring", NotAClient.class.getName());
  }

  /** What the JVM throws when a module names a client whose SDK artifact is not on the class path. */
  @Test
  void aClientWhoseArtifactIsMissingFailsBuild(PostgresCluster c) {
    EngineException e = catchThrowableOfType(EngineException.class, () -> build(c, new Declaring(() -> {
      throw new NoClassDefFoundError("software/amazon/awssdk/services/s3/S3Client");
    })).close());
    assertThat(e.code()).isEqualTo(ErrorCode.MODULE_SET_INVALID);
    assertThat(e.getMessage()).contains("test_declaring", "S3Client");
    assertThat(e.hint()).get().asString().contains("software.amazon.awssdk:");
  }
}
