package dev.iasql.aws.release0020;

import dev.iasql.aws.account.AwsAccountModule;
import dev.iasql.aws.releases.FrozenDdl;
import dev.iasql.aws.releases.Shipped;
import dev.iasql.engine.release.ReleaseCatalog;
import java.util.List;

/** {@code aws_account} as release 0.0.20 shipped it: IaSQL v0.0.20's {@code aws_credentials} and {@code aws_regions}. */
public final class AwsAccountAt0020 extends Shipped {
  public AwsAccountAt0020() {
    super(new AwsAccountModule(), ReleaseCatalog.V0_0_20);
  }

  /**
   * From 0.0.18's single {@code aws_account} table: 0.0.20's tables and functions (the regional tables' column
   * default {@code default_aws_region()} is replaced in place, never dropped), then every key row moves to
   * {@code aws_credentials} in order (so the first stays the one used) and the first row's region becomes the one
   * default, enabled region. The region list itself is loaded from the cloud by the upgrade's next step.
   */
  @Override
  public List<String> upgradeFrom(String older) {
    if (!ReleaseCatalog.V0_0_18.equals(older)) {
      throw new IllegalArgumentException("aws_account at 0.0.20 follows 0.0.18, not " + older);
    }
    return List.of(FrozenDdl.of(ReleaseCatalog.V0_0_20, AwsAccountModule.NAME).get(0), """
        INSERT INTO aws_credentials (access_key_id, secret_access_key)
          SELECT access_key_id, secret_access_key FROM aws_account ORDER BY id;
        -- 0.0.18 made every call in that region, so the cloud has it (the next step's sync removes it if not).
        INSERT INTO iasql_engine.aws_regions_listed (region)
          SELECT region FROM aws_account ORDER BY id LIMIT 1 ON CONFLICT DO NOTHING;
        INSERT INTO aws_regions (region, is_default, is_enabled)
          SELECT region, true, true FROM aws_account ORDER BY id LIMIT 1;
        DROP TABLE aws_account;
        """);
  }
}
