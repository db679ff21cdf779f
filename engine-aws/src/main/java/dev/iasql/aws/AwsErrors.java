package dev.iasql.aws;

import dev.iasql.engine.spi.CloudException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Turns AWS SDK failures into {@link CloudException}s that say which request failed, where, and what AWS answered:
 * {@code "DescribeVpcs in eu-west-1 failed: AuthFailure: AWS was not able to validate the provided access
 * credentials"}. AWS error messages name no secret key, and nothing else of the request is added.
 *
 * <pre>{@code
 * List<Vpc> vpcs(Ec2Client ec2, String region) {
 *   return AwsErrors.call("DescribeVpcs", region, () -> ec2.describeVpcs().vpcs());
 * }
 * }</pre>
 */
public final class AwsErrors {
  private static final Logger LOG = LoggerFactory.getLogger(AwsErrors.class);

  /**
   * Error codes that mean the keys are unknown, expired, malformed or not allowed, rather than the request being wrong:
   * the user fixes them in {@code aws_credentials} or in IAM, not in the table the request came from.
   */
  private static final Set<String> CREDENTIAL_CODES = Set.of(
      "AuthFailure",
      "AuthFailure.ServiceLinkedRoleCreationNotPermitted",
      "InvalidClientTokenId",
      "UnrecognizedClientException",
      "SignatureDoesNotMatch",
      "IncompleteSignature",
      "InvalidAccessKeyId",
      "MissingAuthenticationToken",
      "InvalidToken",
      "ExpiredToken",
      "ExpiredTokenException",
      "AccessDenied",
      "AccessDeniedException",
      "UnauthorizedOperation",
      "Blocked");

  private AwsErrors() {}

  /** Runs one AWS request; an SDK failure becomes a {@link CloudException}. */
  public static <T> T call(String operation, @Nullable String region, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw translate(operation, region, e);
    }
  }

  /** {@link #call} for a request whose response is not needed. */
  public static void run(String operation, @Nullable String region, Runnable call) {
    call(operation, region, () -> {
      call.run();
      return null;
    });
  }

  /**
   * {@link #run} for a delete: AWS answering with one of {@code goneCodes} (such as {@code InvalidVpcID.NotFound})
   * means the resource is already gone, which is what was asked.
   */
  public static void delete(String operation, @Nullable String region, Set<String> goneCodes, Runnable call) {
    try {
      run(operation, region, call);
    } catch (CloudException e) {
      if (!goneCodes.contains(e.errorCode())) {
        throw e;
      }
      LOG.debug("{} in {}: already gone ({})", operation, region, e.errorCode());
    }
  }

  /** The error code AWS gave, or null for failures that never got an AWS answer (network, timeout). */
  public static @Nullable String errorCode(SdkException e) {
    if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
      return s.awsErrorDetails().errorCode();
    }
    return null;
  }

  /**
   * A 401 or 403 whose body the SDK could not read an error code from is an authentication failure: every
   * authorization error AWS names comes with a code, and some endpoints (moto's STS among them) answer an unknown key
   * with an error document the SDK does not parse.
   */
  private static boolean unreadableAuthFailure(SdkException e) {
    return e instanceof AwsServiceException s && errorCode(e) == null
        && (s.statusCode() == 401 || s.statusCode() == 403);
  }

  /** Why a request never got an answer, when it is the network: a name that did not resolve, a refused connection. */
  private static @Nullable Throwable networkCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof ConnectException || t instanceof NoRouteToHostException
          || t.getClass().getSimpleName().equals("ConnectTimeoutException")) {
        return t;
      }
    }
    return null;
  }

  /**
   * Where the failed request went, as the engine that sent it is configured: its clients note it on a network
   * failure ({@link NameEndpoint}); a client of no engine goes where the SDK's standard resolution says.
   */
  private static String endpointOf(SdkException e) {
    for (Throwable t : e.getSuppressed()) {
      if (t instanceof EndpointNote note) {
        return note.getMessage();
      }
    }
    return AwsSettings.defaults().endpointDescription();
  }

  /** Notes, on a request that never reached its endpoint, which endpoint that was (engines differ). */
  static final class NameEndpoint implements ExecutionInterceptor {
    private final String endpoint;

    NameEndpoint(String endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
      Throwable e = context.exception();
      if (networkCause(e) != null) {
        e.addSuppressed(new EndpointNote(endpoint));
      }
      return e;
    }
  }

  /** Carries an endpoint's description on an SDK exception; no stack trace, nothing else. */
  private static final class EndpointNote extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EndpointNote(String endpoint) {
      super(endpoint, null, false, false);
    }
  }

  /**
   * The {@link CloudException} for one failed request.
   *
   * @param region the region it went to; null for a global request
   */
  public static CloudException translate(String operation, @Nullable String region, SdkException e) {
    String code;
    String message;
    if (e instanceof AwsServiceException s) {
      AwsErrorDetails d = s.awsErrorDetails();
      code = d == null || d.errorCode() == null ? "HTTP" + s.statusCode() : d.errorCode();
      message = d == null || d.errorMessage() == null ? String.valueOf(s.getMessage()) : d.errorMessage();
      LOG.debug("{} in {} failed: {} (HTTP {}, request id {})", operation, region, code, s.statusCode(),
          s.requestId());
    } else {
      // Never reached AWS, or its answer was unreadable: the SDK's own exception type is the most precise code.
      code = e.getClass().getSimpleName();
      message = String.valueOf(e.getMessage());
      Throwable network = networkCause(e);
      if (network != null) {
        String where = region == null ? operation : operation + " in " + region;
        return new CloudException(CloudException.Kind.UNREACHABLE, code, where + " failed: cannot reach the AWS"
            + " endpoint: " + network.getClass().getSimpleName() + ": " + network.getMessage(),
            "AWS requests go to " + endpointOf(e) + ". Start the server with ./iasql serve --aws-endpoint URL"
                + " (or set AWS_ENDPOINT_URL) to send them elsewhere, such as moto; otherwise check that the"
                + " engine's host can reach AWS (DNS, network, proxy)", e);
      }
    }
    CloudException.Kind kind = CREDENTIAL_CODES.contains(code) || unreadableAuthFailure(e)
        ? CloudException.Kind.CREDENTIALS : CloudException.Kind.REQUEST;
    String where = region == null ? operation : operation + " in " + region;
    return new CloudException(kind, code, where + " failed: " + code + ": " + message, e);
  }
}
