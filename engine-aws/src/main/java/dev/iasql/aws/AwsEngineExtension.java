package dev.iasql.aws;

import dev.iasql.engine.spi.EngineExtension;

/**
 * Closes a database's AWS clients as soon as the engine stops serving it (it is dropped, or the engine stops), rather
 * than when they have been idle long enough. Found with {@link java.util.ServiceLoader}.
 */
public final class AwsEngineExtension implements EngineExtension {
  public AwsEngineExtension() {} // the service loader's

  @Override
  public void detach(String databaseName) {
    AwsClients clients = AwsClients.sharedIfCreated();
    if (clients != null) {
      clients.evictDatabase(databaseName);
    }
  }
}
