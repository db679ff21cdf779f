package dev.iasql.aws;

import static java.util.Objects.requireNonNull;

import com.google.common.annotations.VisibleForTesting;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.cache.RemovalCause;
import com.google.common.cache.RemovalNotification;
import com.google.common.util.concurrent.UncheckedExecutionException;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.spi.Module;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * One engine's AWS SDK clients, cached by database, credentials, region and client type. A client is never shared
 * between two databases, even with the same keys: a database's calls must never ride on another's client. Idle clients
 * are closed after {@link #IDLE}, and all of a database's clients when the engine stops serving it. A client evicted
 * because it was idle or the cache was full may still be in a mapper's hands, so it is closed only after the call
 * timeout, when any call it was making has ended. {@link #close()} closes every client and the HTTP transport.
 *
 * <p>Endpoint, retries, timeouts and the transport's size come from the engine's {@link AwsSettings}; without an
 * endpoint there, the SDK's standard resolution applies ({@code AWS_ENDPOINT_URL}, AWS otherwise).
 */
public final class AwsClients implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AwsClients.class);
  static final Duration IDLE = Duration.ofMinutes(30);
  private static final long MAX_CLIENTS = 2_000;
  /** How long a client's timer keeps its thread with no call running. */
  static final Duration TIMER_IDLE = Duration.ofSeconds(10);
  /** The default call timeout: how long an evicted client stays open for calls in flight. */
  static final Duration CALL_TIMEOUT = AwsSettings.defaults().callTimeout();

  /**
   * How each client type is built, found on first use: every synchronous SDK client interface has a static
   * {@code builder()}, so a module gets any client whose SDK artifact it depends on, without a list to edit here.
   */
  private static final Map<Class<?>, Function<AwsClients.Settings, SdkClient>> FACTORIES = new ConcurrentHashMap<>();

  private final SdkHttpClient http;
  private final Cache<Key, SdkClient> cache;
  /** Clients evicted by idleness or size, waiting for {@link #closeGrace} before they are closed. */
  private final Set<SdkClient> closing = ConcurrentHashMap.newKeySet();
  /**
   * Each client's timer (the SDK times each call and attempt on one), ended with the client. The SDK's own starts up to
   * five threads per client and keeps them while the client lives: 1,000 parked threads with 200 busy databases, all
   * scanned at every garbage collection. This one keeps one thread, and none once its client has been idle a while.
   */
  private final Map<SdkClient, ExecutorService> timers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService closer;
  private final Duration closeGrace;
  private final long timerIdleMillis;
  private final AwsSettings settings;
  /** Interceptors every client gets: the engine's request metrics, the endpoint named in network errors. */
  private final List<ExecutionInterceptor> interceptors;
  private volatile boolean closed;

  /**
   * @param closeGrace how long a client evicted by idleness or size stays usable before it is closed
   */
  @VisibleForTesting
  AwsClients(Duration idle, long maxClients, Duration closeGrace) {
    this(AwsSettings.defaults(), List.of(), idle, maxClients, closeGrace);
  }

  /** With {@code timerIdle} instead of {@link #TIMER_IDLE}. */
  @VisibleForTesting
  AwsClients(Duration idle, long maxClients, Duration closeGrace, Duration timerIdle) {
    this(AwsSettings.defaults(), List.of(), idle, maxClients, closeGrace, timerIdle);
  }

  /** The clients of one engine, with its settings. */
  AwsClients(AwsSettings settings, List<ExecutionInterceptor> interceptors) {
    this(settings, interceptors, IDLE, MAX_CLIENTS, settings.callTimeout());
  }

  @VisibleForTesting
  AwsClients(AwsSettings settings, List<ExecutionInterceptor> interceptors, Duration idle, long maxClients,
      Duration closeGrace) {
    this(settings, interceptors, idle, maxClients, closeGrace, TIMER_IDLE);
  }

  private AwsClients(AwsSettings settings, List<ExecutionInterceptor> interceptors, Duration idle, long maxClients,
      Duration closeGrace, Duration timerIdle) {
    this.timerIdleMillis = timerIdle.toMillis();
    this.settings = requireNonNull(settings, "settings is null");
    List<ExecutionInterceptor> all = new java.util.ArrayList<>(interceptors);
    all.add(new AwsErrors.NameEndpoint(settings.endpointDescription()));
    this.interceptors = List.copyOf(all);
    this.closeGrace = closeGrace;
    this.closer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "iasql-aws-client-closer");
      t.setDaemon(true);
      return t;
    });
    this.http = ApacheHttpClient.builder()
        .connectionTimeout(settings.connectTimeout())
        .socketTimeout(settings.attemptTimeout())
        .connectionAcquisitionTimeout(settings.attemptTimeout())
        .maxConnections(settings.maxConnections())
        .build();
    this.cache = CacheBuilder.newBuilder()
        .expireAfterAccess(idle)
        .maximumSize(maxClients)
        .removalListener(this::evicted)
        .build();
  }

  public AwsSettings settings() {
    return settings;
  }

  /**
   * The client of {@code type} for one database, its keys and a region, built on first use.
   *
   * @throws IllegalArgumentException for a type this cache cannot build
   */
  public <T> T client(Class<T> type, String database, AwsKeys keys, String region) {
    requireNonNull(type, "type is null");
    requireNonNull(database, "database is null");
    requireNonNull(keys, "keys is null");
    requireNonNull(region, "region is null");
    Function<Settings, SdkClient> factory = FACTORIES.computeIfAbsent(type, AwsClients::factory);
    if (closed) {
      // The engine closed them: an operation still running meets the same code as a call after close().
      throw new EngineException(ErrorCode.ENGINE_STOPPED, "the engine is stopped: its AWS clients are closed");
    }
    if (region.isBlank()) {
      throw new IllegalArgumentException("region is blank");
    }
    Key key = new Key(database, keys.fingerprint(), region, type);
    try {
      return type.cast(cache.get(key, () -> {
        LOG.debug("new {} for database {} in {} (key {})", type.getSimpleName(), database, region,
            keys.accessKeyId());
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
          Thread t = new Thread(r, "iasql-aws-timer");
          t.setDaemon(true);
          return t;
        });
        timer.setRemoveOnCancelPolicy(true); // a call's timeout, cancelled when it returns, leaves the queue at once
        timer.setKeepAliveTime(timerIdleMillis, TimeUnit.MILLISECONDS);
        timer.allowCoreThreadTimeOut(true); // its thread stays while a timeout is pending (see getTask)
        try {
          SdkClient client = factory.apply(new Settings(http, keys, region, settings, interceptors, timer));
          timers.put(client, timer);
          return client;
        } catch (RuntimeException e) {
          timer.shutdownNow();
          throw e;
        }
      }));
    } catch (ExecutionException | UncheckedExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("cannot build " + type.getSimpleName() + " for " + region, e.getCause());
    }
  }

  /**
   * Checks that every client type a module declares can be built here: a synchronous SDK client interface.
   *
   * @throws EngineException IQ209 naming the module and the type
   */
  static void requireBuildable(Module module, List<Class<? extends SdkClient>> types) {
    for (Class<? extends SdkClient> type : types) {
      try {
        FACTORIES.computeIfAbsent(type, AwsClients::factory);
      } catch (IllegalArgumentException e) {
        throw new EngineException(ErrorCode.MODULE_SET_INVALID, "module " + module.name() + "@" + module.version()
            + " declares an AWS client it cannot have: " + e.getMessage(), null, "declare SDK client interfaces"
            + " such as Ec2Client.class in awsClients()", e);
      }
    }
  }

  /** Closes every client of one database: the engine stops serving it (dropped, or the engine stops). */
  public void evictDatabase(String database) {
    List<Key> keys = cache.asMap().keySet().stream().filter(k -> k.database().equals(database)).toList();
    cache.invalidateAll(keys);
    if (!keys.isEmpty()) {
      LOG.debug("closed {} AWS clients of database {}", keys.size(), database);
    }
  }

  /** How many clients are open: for tests and metrics. */
  @VisibleForTesting
  long size() {
    cache.cleanUp();
    return cache.size();
  }

  /** Closes every client and the HTTP transport (and with them the SDK's threads). */
  @Override
  public void close() {
    closed = true;
    cache.invalidateAll();
    cache.cleanUp();
    closer.shutdownNow();
    List.copyOf(closing).forEach(this::closePending);
    http.close();
  }

  private void evicted(RemovalNotification<Key, SdkClient> n) {
    SdkClient c = n.getValue();
    if (c == null) {
      return;
    }
    // Explicit: the database is going away or the cache closes; nothing may use its clients any more.
    if (n.getCause() == RemovalCause.EXPLICIT || closeGrace.isZero() || closer.isShutdown()) {
      closeNow(c);
      return;
    }
    closing.add(c);
    try {
      // closeNow never throws: nothing to learn from the future
      ScheduledFuture<?> unused =
          closer.schedule(() -> closePending(c), closeGrace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      closePending(c); // the cache is closing concurrently
    }
  }

  /** Closes a client waiting for its grace, once, whoever gets there first (the timer or {@link #close()}). */
  private void closePending(SdkClient c) {
    if (closing.remove(c)) {
      closeNow(c);
    }
  }

  private void closeNow(SdkClient c) {
    try {
      c.close();
    } catch (RuntimeException e) {
      LOG.warn("closing an AWS {} client failed", c.serviceName(), e);
    } finally {
      ExecutorService timer = timers.remove(c);
      if (timer != null) {
        timer.shutdownNow(); // and with it the client: a call it would still make is refused
      }
    }
  }

  /**
   * The factory of a synchronous SDK client interface (Ec2Client, SqsClient …) from its static {@code builder()}.
   *
   * @throws IllegalArgumentException for any other type
   */
  private static Function<Settings, SdkClient> factory(Class<?> type) {
    java.lang.reflect.Method builder;
    try {
      builder = type.getMethod("builder");
    } catch (NoSuchMethodException e) {
      builder = null;
    }
    if (!type.isInterface() || !SdkClient.class.isAssignableFrom(type) || builder == null
        || !java.lang.reflect.Modifier.isStatic(builder.getModifiers())
        || !AwsSyncClientBuilder.class.isAssignableFrom(builder.getReturnType())
        || !AwsClientBuilder.class.isAssignableFrom(builder.getReturnType())) {
      throw new IllegalArgumentException(type.getName() + " is not a synchronous AWS SDK client (such as"
          + " Ec2Client or SqsClient)");
    }
    java.lang.reflect.Method b = builder;
    return settings -> {
      try {
        return settings.build(b.invoke(null));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
      }
    };
  }

  /** Clients evicted but not closed yet: for tests. */
  @VisibleForTesting
  int closing() {
    return closing.size();
  }

  /** A cache key: the fingerprint stands for the keys, so the cache never holds a secret in its keys. */
  private record Key(String database, String fingerprint, String region, Class<?> type) {}

  /** What every client gets, whatever its type. */
  private record Settings(SdkHttpClient http, AwsKeys keys, String region, AwsSettings aws,
      List<ExecutionInterceptor> interceptors, ScheduledExecutorService timer) {
    /** Configures a client builder of any type (see {@link #factory}) and builds the client. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    SdkClient build(Object anyBuilder) {
      AwsClientBuilder builder = (AwsClientBuilder) anyBuilder;
      if (aws.endpoint() != null) {
        builder.endpointOverride(aws.endpoint());
      }
      builder.region(Region.of(region));
      builder.credentialsProvider(StaticCredentialsProvider.create(keys.toSdk()));
      // the transport is shared and outlives clients: closing a client leaves it open
      ((AwsSyncClientBuilder) builder).httpClient(http);
      builder.overrideConfiguration(ClientOverrideConfiguration.builder()
          .retryStrategy(AwsRetryStrategy.forRetryMode(aws.retryMode()).toBuilder()
              .maxAttempts(aws.maxAttempts()).build())
          .apiCallTimeout(aws.callTimeout())
          .apiCallAttemptTimeout(aws.attemptTimeout())
          .executionInterceptors(interceptors)
          .scheduledExecutorService(timer) // the SDK leaves one it was given running: closeNow ends it
          .build());
      return (SdkClient) builder.build();
    }

    @Override
    public String toString() {
      return "Settings[" + keys + ", " + region + "]";
    }
  }
}
