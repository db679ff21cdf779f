package dev.iasql.aws;

import static java.util.Objects.requireNonNull;

import com.google.common.annotations.VisibleForTesting;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.cache.RemovalCause;
import com.google.common.cache.RemovalNotification;
import com.google.common.util.concurrent.UncheckedExecutionException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * AWS SDK clients, cached by database, credentials, region and client type. A client is never shared between two
 * databases, even with the same keys: a database's calls must never ride on another's client. Idle clients are closed
 * after {@link #IDLE}, and all of a database's clients when the engine stops serving it. A client evicted because it
 * was idle or the cache was full may still be in a mapper's hands, so it is closed only after {@link #CALL_TIMEOUT},
 * when any call it was making has ended.
 *
 * <p>Every client uses the SDK's adaptive retry mode (backoff plus a client-side token bucket that slows down on
 * throttling) and the one HTTP transport of this cache. The endpoint is left to the SDK's standard resolution: the
 * {@code AWS_ENDPOINT_URL} environment variable or the {@code aws.endpointUrl} system property when set (tests point
 * them at moto), AWS otherwise.
 */
public final class AwsClients implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AwsClients.class);
  static final Duration IDLE = Duration.ofMinutes(30);
  private static final long MAX_CLIENTS = 2_000;
  /**
   * Longest a whole call may take, retries included (a single attempt gets {@link #ATTEMPT_TIMEOUT}); also how long
   * an evicted client stays open for calls in flight.
   */
  static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How each client type is built, found on first use: every synchronous SDK client interface has a static
   * {@code builder()}, so a module gets any client whose SDK artifact it depends on, without a list to edit here.
   */
  private static final Map<Class<?>, Function<AwsClients.Settings, SdkClient>> FACTORIES = new ConcurrentHashMap<>();

  private static @Nullable AwsClients shared;

  private final SdkHttpClient http;
  private final Cache<Key, SdkClient> cache;
  /** Clients evicted by idleness or size, waiting for {@link #closeGrace} before they are closed. */
  private final Set<SdkClient> closing = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService closer;
  private final Duration closeGrace;
  /** Where every client sends its requests instead of the SDK's standard resolution: tests only. */
  private final @Nullable URI endpoint;
  private volatile boolean closed;

  /**
   * @param closeGrace how long a client evicted by idleness or size stays usable before it is closed
   */
  @VisibleForTesting
  AwsClients(Duration idle, long maxClients, Duration closeGrace) {
    this(idle, maxClients, closeGrace, null);
  }

  /**
   * @param endpoint where every client of this cache sends its requests, overriding the SDK's standard resolution
   *     ({@code aws.endpointUrl}, {@code AWS_ENDPOINT_URL}) for this cache only; null to keep it
   */
  @VisibleForTesting
  AwsClients(Duration idle, long maxClients, Duration closeGrace, @Nullable URI endpoint) {
    this.closeGrace = closeGrace;
    this.endpoint = endpoint;
    this.closer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "iasql-aws-client-closer");
      t.setDaemon(true);
      return t;
    });
    this.http = ApacheHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(10))
        .socketTimeout(Duration.ofSeconds(30))
        .connectionAcquisitionTimeout(Duration.ofSeconds(30))
        .maxConnections(256)
        .build();
    this.cache = CacheBuilder.newBuilder()
        .expireAfterAccess(idle)
        .maximumSize(maxClients)
        .removalListener(this::evicted)
        .build();
  }

  /** The cache of this JVM, created on first use. */
  public static synchronized AwsClients shared() {
    if (shared == null) {
      shared = new AwsClients(IDLE, MAX_CLIENTS, CALL_TIMEOUT);
    }
    return shared;
  }

  /** The shared cache if anything created it yet: releasing clients must not build a transport. */
  static synchronized @Nullable AwsClients sharedIfCreated() {
    return shared;
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
      throw new IllegalStateException("AWS clients are closed");
    }
    if (region.isBlank()) {
      throw new IllegalArgumentException("region is blank");
    }
    Key key = new Key(database, keys.fingerprint(), region, type);
    try {
      return type.cast(cache.get(key, () -> {
        LOG.debug("new {} for database {} in {} (key {})", type.getSimpleName(), database, region,
            keys.accessKeyId());
        return factory.apply(new Settings(http, keys, region, endpoint));
      }));
    } catch (ExecutionException | UncheckedExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("cannot build " + type.getSimpleName() + " for " + region, e.getCause());
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

  /**
   * Closes every client and the HTTP transport. Not for {@link #shared()}, which every engine of the JVM uses: it lives
   * as long as the JVM, its clients closed by idleness and {@link #evictDatabase}.
   */
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

  private static void closeNow(SdkClient c) {
    try {
      c.close();
    } catch (RuntimeException e) {
      LOG.warn("closing an AWS {} client failed", c.serviceName(), e);
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
  private record Settings(SdkHttpClient http, AwsKeys keys, String region, @Nullable URI endpoint) {
    /** Configures a client builder of any type (see {@link #factory}) and builds the client. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    SdkClient build(Object anyBuilder) {
      AwsClientBuilder builder = (AwsClientBuilder) anyBuilder;
      if (endpoint != null) {
        builder.endpointOverride(endpoint);
      }
      builder.region(Region.of(region));
      builder.credentialsProvider(StaticCredentialsProvider.create(keys.toSdk()));
      // the transport is shared and outlives clients: closing a client leaves it open
      ((AwsSyncClientBuilder) builder).httpClient(http);
      builder.overrideConfiguration(ClientOverrideConfiguration.builder()
          .retryStrategy(RetryMode.ADAPTIVE_V2)
          .apiCallTimeout(CALL_TIMEOUT)
          .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
          .build());
      return (SdkClient) builder.build();
    }

    @Override
    public String toString() {
      return "Settings[" + keys + ", " + region + "]";
    }
  }
}
