package dev.iasql.aws.secretsmanager;

import dev.iasql.aws.kit.ModuleConformance;
import dev.iasql.engine.kit.TableSpec;
import dev.iasql.aws.MotoClient;
import dev.iasql.testkit.Moto;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

/**
 * {@code aws_secrets_manager}'s {@code secret} passes the kit's conformance suite: the write-only value is sent, NULL
 * in the row after apply, and in no log, NOTICE or preview.
 */
class SecretConformanceTest extends ModuleConformance {
  /** Unique per JVM, so that finding it anywhere means it leaked. */
  private static final String VALUE = "s3cret-" + UUID.randomUUID();

  @Override
  protected String module() {
    return "aws_secrets_manager";
  }

  @Override
  protected TableSpec spec() {
    return Secrets.SPEC;
  }

  @Override
  protected Map<String, Object> sample(String name) {
    return Map.of("name", name, "description", "made by the suite", "value", VALUE);
  }

  @Override
  protected Map<String, Object> inPlaceChange(String name) {
    return Map.of("description", "changed", "value", VALUE + "-2");
  }

  @Override
  protected Map<String, Object> replacingChange(String name) {
    return Map.of("name", name + "-renamed");
  }

  @Override
  protected String replaceReason() {
    return "name cannot change in place";
  }

  @Override
  protected Set<String> cloudNames(Moto.Keys keys, String region) {
    try (SecretsManagerClient sm = client(keys, region)) {
      return sm.listSecretsPaginator(b -> { }).stream().flatMap(page -> page.secretList().stream())
          .map(SecretListEntry::name).collect(Collectors.toSet());
    }
  }

  @Override
  protected void createOutOfBand(Moto.Keys keys, String region, String name) {
    try (SecretsManagerClient sm = client(keys, region)) {
      sm.createSecret(b -> b.name(name).description("made by the suite").secretString("by hand"));
    }
  }

  @Override
  protected void deleteOutOfBand(Moto.Keys keys, String region, String name) {
    try (SecretsManagerClient sm = client(keys, region)) {
      sm.deleteSecret(b -> b.secretId(name).forceDeleteWithoutRecovery(true));
    }
  }

  private static SecretsManagerClient client(Moto.Keys keys, String region) {
    return MotoClient.of(SecretsManagerClient.builder(), keys, region);
  }
}
