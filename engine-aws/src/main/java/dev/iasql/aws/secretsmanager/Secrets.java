package dev.iasql.aws.secretsmanager;

import dev.iasql.aws.AwsResources;
import dev.iasql.engine.kit.Column;
import dev.iasql.engine.kit.CrashSafety;
import dev.iasql.engine.kit.Resources;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.kit.TableSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

/**
 * {@code secret}, as IaSQL v0.1.9 has it, plus the secret's ARN (its identity, so that a rename replaces it). The
 * value is write-only: sent on create and update, never read back, NULL in the row after apply.
 */
final class Secrets extends AwsResources<SecretsManagerClient> implements Resources.InPlace {
  static final String NAME = "name";

  static final TableSpec SPEC = TableSpec.regional("secret")
      // AWS's rule: up to 512 of letters, digits and /_+=.@-
      .column(Column.text(NAME).notNull().replacedOnChange().matches("^[A-Za-z0-9/_+=.@-]+$").maxLength(512))
      .column(Column.text("description"))
      .column(Column.text("value").writeOnly())
      .column(Column.text("version_id").cloudAssigned())
      .column(Column.text("arn").cloudAssigned())
      .cloudId("arn", true)
      .unique("uq_secret_name_region", NAME, TableSpec.REGION)
      .survivesCrashBy(CrashSafety.uniqueName(NAME))
      .build();

  @Override
  protected List<Row> list(Aws<SecretsManagerClient> sm) {
    return sm.call("ListSecrets", c -> c.listSecretsPaginator(b -> { }).stream()
        .flatMap(page -> page.secretList().stream()).map(s -> sm.row().with(NAME, s.name())
            .with("description", s.description()).with("arn", s.arn()).with("version_id", current(s)))
        .toList());
  }

  @Override
  protected Row create(Aws<SecretsManagerClient> sm, Row desired) {
    var created = sm.call("CreateSecret", c -> c.createSecret(b -> b.name(desired.text(NAME))
        .description(desired.text("description")).secretString(desired.text("value"))));
    return sm.row().with(NAME, created.name()).with("description", desired.text("description"))
        .with("arn", created.arn()).with("version_id", created.versionId());
  }

  /** The description and the value in one request; a new value makes a new version. */
  @Override
  protected Row update(Aws<SecretsManagerClient> sm, Row desired, Row actual, Set<String> changed) {
    var updated = sm.call("UpdateSecret", c -> c.updateSecret(b -> {
      b.secretId(actual.text("arn"));
      if (changed.contains("description")) {
        b.description(desired.text("description") == null ? "" : desired.text("description"));
      }
      if (changed.contains("value")) {
        b.secretString(desired.text("value"));
      }
    }));
    return actual.with("description", desired.text("description"))
        .with("version_id", updated.versionId() != null ? updated.versionId() : actual.get("version_id"));
  }

  @Override
  protected void delete(Aws<SecretsManagerClient> sm, Row actual) {
    sm.delete("DeleteSecret", c -> c.deleteSecret(b -> b.secretId(actual.text("arn"))
        .forceDeleteWithoutRecovery(true)));
  }

  /** The version labelled AWSCURRENT, or null. */
  private static @Nullable String current(SecretListEntry s) {
    for (Map.Entry<String, List<String>> v : s.secretVersionsToStages().entrySet()) {
      if (v.getValue().contains("AWSCURRENT")) {
        return v.getKey();
      }
    }
    return null;
  }
}
