package dev.iasql.aws;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * AWS access keys as a database holds them in {@code aws_credentials}. {@link #toString()} shows the access key id
 * only (AWS itself treats it as an identifier): the secret and the session token never reach a log or an error.
 *
 * @param sessionToken null for long-term keys; a blank token is treated as none
 */
public record AwsKeys(String accessKeyId, String secretAccessKey, @Nullable String sessionToken) {
  public AwsKeys {
    requireNonNull(accessKeyId, "accessKeyId is null");
    requireNonNull(secretAccessKey, "secretAccessKey is null");
    if (sessionToken != null && sessionToken.isBlank()) {
      sessionToken = null;
    }
  }

  /** Identifies the keys in the client cache without holding them in the key: SHA-256 of id, secret and token. */
  String fingerprint() {
    Hasher h = Hashing.sha256().newHasher();
    // Length-prefixed so that ("ab", "c") and ("a", "bc") differ.
    for (String part : new String[] {accessKeyId, secretAccessKey, sessionToken == null ? "" : sessionToken}) {
      h.putInt(part.length()).putString(part, StandardCharsets.UTF_8);
    }
    return h.hash().toString();
  }

  AwsCredentials toSdk() {
    return sessionToken == null
        ? AwsBasicCredentials.create(accessKeyId, secretAccessKey)
        : AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken);
  }

  @Override
  public String toString() {
    return "AwsKeys[accessKeyId=" + accessKeyId + ", secretAccessKey=(redacted)"
        + (sessionToken == null ? "" : ", sessionToken=(redacted)") + "]";
  }
}
