package dev.iasql.aws;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.spi.AttachedDatabase;
import dev.iasql.engine.spi.EngineExtension;
import dev.iasql.engine.spi.Extensions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * One engine's AWS: its {@link AwsSettings} and the {@link AwsClients} built from them on first use. Closes a
 * database's clients as soon as the engine stops serving it (it is dropped, or the engine stops), and every client,
 * the HTTP transport and their threads when the engine closes. Found with {@link java.util.ServiceLoader} with the
 * default settings; give one to {@code Engine.configure().extension(AwsEngineExtension.with(settings))} to choose.
 */
public final class AwsEngineExtension implements EngineExtension {
  private final AwsSettings settings;
  private final List<ExecutionInterceptor> interceptors = new ArrayList<>();
  private @Nullable AwsClients clients;
  private CompletableFuture<Boolean> warmUp = CompletableFuture.completedFuture(false);
  private boolean closed;

  /** The default settings: for {@link java.util.ServiceLoader}. */
  public AwsEngineExtension() {
    this(AwsSettings.defaults());
  }

  private AwsEngineExtension(AwsSettings settings) {
    this.settings = requireNonNull(settings, "settings is null");
  }

  public static AwsEngineExtension with(AwsSettings settings) {
    return new AwsEngineExtension(settings);
  }

  public AwsSettings settings() {
    return settings;
  }

  /**
   * The clients of the engine that runs an operation.
   *
   * @throws EngineException IQ901 when that engine was built without this extension
   */
  public static AwsClients clientsOf(Extensions extensions) {
    return extensions.find(AwsEngineExtension.class).orElseThrow(() -> new EngineException(ErrorCode.INTERNAL_ERROR,
        "this engine has no AWS extension", null, "build it with discoverExtensions on, or with"
            + " .extension(AwsEngineExtension.with(settings))", null)).clients();
  }

  /** Also readies the AWS SDK in the background ({@link WarmUp}), so that the first cloud call is not the slowest. */
  @Override
  public synchronized void start(Engine engine, AttachedDatabase metadata) {
    interceptors.add(new AwsRequestMetrics(engine.meterRegistry()));
    warmUp = WarmUp.start(settings);
  }

  /** Built on first use, so an engine that never calls AWS opens no transport. */
  synchronized AwsClients clients() {
    if (closed) {
      throw new EngineException(ErrorCode.ENGINE_STOPPED, "the engine is stopped: its AWS clients are closed");
    }
    if (clients == null) {
      clients = new AwsClients(settings, interceptors);
    }
    return clients;
  }

  @Override
  public synchronized void detach(String databaseName) {
    if (clients != null) {
      clients.evictDatabase(databaseName);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (clients != null) {
      clients.close();
      clients = null;
    }
    try {
      // An engine closed right after start: its AWS threads end with it (the warm-up takes a second at most).
      warmUp.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // it ends on its own: the loopback and the call time out
    }
  }

  /** The warm-up begun at start: true once its call went through. */
  synchronized CompletableFuture<Boolean> warmUp() {
    return warmUp;
  }
}
