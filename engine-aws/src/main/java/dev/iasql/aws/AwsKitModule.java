package dev.iasql.aws;

import dev.iasql.aws.account.AwsAccountModule;
import dev.iasql.engine.kit.KitModule;
import dev.iasql.engine.spi.ModuleName;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.core.SdkClient;

/**
 * An AWS module on the module kit: it needs {@code aws_account} (the credentials and regions), owns the AWS error
 * block with the others, and declares the SDK clients of its tables' {@link AwsResources}, so that a missing one fails
 * the engine's build (IQ209), not a user's apply.
 */
public abstract class AwsKitModule extends KitModule implements AwsModule {
  private final List<Class<? extends SdkClient>> clients;

  /**
   * @param alsoNeeds the modules it needs besides {@code aws_account}
   * @param tables in dependency order: a table after the tables it refers to
   */
  protected AwsKitModule(ModuleName name, String version, List<ModuleName> alsoNeeds, Table... tables) {
    super(name, version, Stream.concat(Stream.of(AwsAccountModule.NAME), alsoNeeds.stream()).toList(), tables);
    this.clients = Stream.of(tables).map(Table::resources).filter(AwsResources.class::isInstance)
        .<Class<? extends SdkClient>>map(r -> ((AwsResources<?>) r).client()).distinct().toList();
  }

  /** A module that needs only {@code aws_account}. */
  protected AwsKitModule(ModuleName name, String version, Table... tables) {
    this(name, version, List.of(), tables);
  }

  @Override
  public final List<Class<? extends SdkClient>> awsClients() {
    return clients;
  }
}
