package dev.iasql.aws;

import dev.iasql.engine.spi.EngineExtension;
import dev.iasql.engine.spi.Extensions;
import java.util.Optional;

/** For tests that open a cloud account without an engine: the extensions an engine with only AWS would have. */
public final class AwsTestExtensions {
  /** One AWS extension for the test JVM, with the default settings (moto through {@code aws.endpointUrl}). */
  public static final Extensions SHARED = of(new AwsEngineExtension());

  private AwsTestExtensions() {}

  public static Extensions of(AwsEngineExtension aws) {
    return new Extensions() {
      @Override
      public <T extends EngineExtension> Optional<T> find(Class<T> type) {
        return type == AwsEngineExtension.class ? Optional.of(type.cast(aws)) : Optional.empty();
      }
    };
  }
}
