package dev.iasql.aws;

import dev.iasql.engine.error.ErrorBlock;
import dev.iasql.engine.spi.Module;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.SdkClient;

/**
 * A module that calls AWS: it declares the SDK clients its mappers ask the {@link AwsContext} for, so that a client
 * whose SDK artifact is missing, or a type that is no client, fails the engine's {@code build()} (IQ209) instead of a
 * user's first apply.
 */
public interface AwsModule extends Module {
  /** The synchronous SDK client interfaces this module uses, such as {@code Ec2Client.class}. */
  List<Class<? extends SdkClient>> awsClients();

  /** Every AWS module owns the AWS block, IQ500–IQ599, with the others: the engine counts it once. */
  @Override
  default Optional<ErrorBlock> errorBlock() {
    return Optional.of(AwsErrorCode.BLOCK);
  }

  @Override
  default void validate() {
    AwsClients.requireBuildable(this, awsClients());
  }
}
