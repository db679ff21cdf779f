package dev.iasql.aws;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.retry.RetryMode;

/**
 * How one engine talks to AWS: given to {@link AwsEngineExtension#with}, never read from the JVM's system properties,
 * so two engines in one JVM may each have their own endpoint, retries, timeouts and concurrency.
 *
 * <pre>{@code
 * try (PostgresCluster pg = PostgresCluster.embedded(Path.of("data"));
 *     Engine engine = Engine.configure().postgres(pg)
 *         .extension(AwsEngineExtension.with(AwsSettings.builder().endpoint(URI.create("http://127.0.0.1:5000")).build()))
 *         .build()) {
 *   engine.createDatabase("prod");
 * }
 * }</pre>
 *
 * <p>There is no credentials setting: the engine signs every request with the keys of the database it works for
 * ({@code aws_credentials}), never with credentials of its host.
 *
 * @param endpoint where every request goes (moto, LocalStack); null for the SDK's standard resolution: the {@code
 *     AWS_ENDPOINT_URL} environment variable when set, AWS otherwise
 * @param retryMode the SDK's retry mode (default adaptive: backoff plus a client-side rate limit on throttling)
 * @param maxAttempts attempts per request, the first included
 * @param callTimeout longest a request may take, retries included; also how long an evicted client stays open
 * @param attemptTimeout longest one attempt may take
 * @param connectTimeout longest a TCP connection may take to open
 * @param maxConcurrency cloud requests one operation makes at once
 * @param maxConnections HTTP connections the engine keeps open at most, across its databases
 */
public record AwsSettings(@Nullable URI endpoint, RetryMode retryMode, int maxAttempts, Duration callTimeout,
    Duration attemptTimeout, Duration connectTimeout, int maxConcurrency, int maxConnections) {
  public AwsSettings {
    requireNonNull(retryMode, "retryMode is null");
    if (endpoint != null && (!("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))
        || endpoint.getHost() == null)) {
      throw invalid("the AWS endpoint must be an http(s) URL with a host, not " + endpoint);
    }
    atLeastOne("maxAttempts", maxAttempts);
    atLeastOne("maxConcurrency", maxConcurrency);
    atLeastOne("maxConnections", maxConnections);
    positive("callTimeout", callTimeout);
    positive("attemptTimeout", attemptTimeout);
    positive("connectTimeout", connectTimeout);
  }

  /** AWS itself (or {@code AWS_ENDPOINT_URL}), adaptive retries with 3 attempts, 2 min per call, 16 at once. */
  public static AwsSettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Where requests go, and what set it, for messages: {@code http://127.0.0.1:5000 (this engine's endpoint)}. */
  String endpointDescription() {
    if (endpoint != null) {
      return endpoint + " (this engine's AWS endpoint: ./iasql serve --aws-endpoint, or AwsSettings.endpoint)";
    }
    String env = System.getenv("AWS_ENDPOINT_URL");
    if (env != null && !env.isBlank()) {
      return env + " (AWS_ENDPOINT_URL)";
    }
    String property = System.getProperty("aws.endpointUrl");
    if (property != null && !property.isBlank()) {
      return property + " (the JVM's aws.endpointUrl)";
    }
    return "AWS itself (no --aws-endpoint or AWS_ENDPOINT_URL is set)";
  }

  private static void atLeastOne(String name, int value) {
    if (value < 1) {
      throw invalid(name + " must be at least 1, not " + value);
    }
  }

  private static void positive(String name, Duration value) {
    if (requireNonNull(value, name + " is null").isNegative() || value.isZero()) {
      throw invalid(name + " must be positive, not " + value);
    }
  }

  private static EngineException invalid(String message) {
    return new EngineException(ErrorCode.INVALID_ARGUMENT, message);
  }

  /** Starts from {@link #defaults()}. */
  public static final class Builder {
    private @Nullable URI endpoint;
    private RetryMode retryMode = RetryMode.ADAPTIVE_V2;
    private int maxAttempts = 3;
    private Duration callTimeout = Duration.ofMinutes(2);
    private Duration attemptTimeout = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private int maxConcurrency = 16;
    private int maxConnections = 256;

    private Builder() {}

    /** Null (the default) leaves it to the SDK: {@code AWS_ENDPOINT_URL} when set, AWS otherwise. */
    public Builder endpoint(@Nullable URI endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    public Builder retryMode(RetryMode retryMode) {
      this.retryMode = retryMode;
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = callTimeout;
      return this;
    }

    public Builder attemptTimeout(Duration attemptTimeout) {
      this.attemptTimeout = attemptTimeout;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder maxConcurrency(int maxConcurrency) {
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    public Builder maxConnections(int maxConnections) {
      this.maxConnections = maxConnections;
      return this;
    }

    /** @throws EngineException IQ401 for a setting out of range */
    public AwsSettings build() {
      return new AwsSettings(endpoint, retryMode, maxAttempts, callTimeout, attemptTimeout, connectTimeout,
          maxConcurrency, maxConnections);
    }
  }
}
