package dev.iasql.engine.spi;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.error.Code;

/**
 * The codes, from the cloud module's own {@link dev.iasql.engine.error.ErrorBlock}, of what the engine's cloud loop
 * reports: the engine knows no cloud, so the account module that speaks for one supplies them.
 *
 * @param credentials the cloud refused the credentials, or there are none ({@link CloudException.Kind#CREDENTIALS})
 * @param requestFailed a request failed ({@link CloudException.Kind#REQUEST})
 * @param noProgress apply or sync could not finish: rows kept failing
 * @param noAccount cloud work in a database without the account module
 * @param unreachable the endpoint could not be reached ({@link CloudException.Kind#UNREACHABLE})
 * @param keptChanging every round of an apply found new differences
 */
public record CloudCodes(Code credentials, Code requestFailed, Code noProgress, Code noAccount, Code unreachable,
    Code keptChanging) {
  public CloudCodes {
    requireNonNull(credentials, "credentials is null");
    requireNonNull(requestFailed, "requestFailed is null");
    requireNonNull(noProgress, "noProgress is null");
    requireNonNull(noAccount, "noAccount is null");
    requireNonNull(unreachable, "unreachable is null");
    requireNonNull(keptChanging, "keptChanging is null");
  }

  /** The code of a failed cloud request, by what failed. */
  public Code of(CloudException.Kind kind) {
    return switch (kind) {
      case CREDENTIALS -> credentials;
      case REQUEST -> requestFailed;
      case UNREACHABLE -> unreachable;
    };
  }
}
