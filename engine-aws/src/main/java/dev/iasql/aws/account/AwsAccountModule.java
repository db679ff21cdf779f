package dev.iasql.aws.account;

import dev.iasql.aws.AwsErrorCode;
import dev.iasql.aws.AwsModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.CloudAccount;
import dev.iasql.engine.spi.ModuleName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@code aws_account}: the credentials a database uses ({@code aws_credentials}; the first row inserted is the one
 * used) and the regions it works in ({@code aws_regions}, loaded from the cloud, with the user's enabled and default
 * flags). {@code default_aws_region()} is the column default of every regional table of the other modules.
 */
public final class AwsAccountModule implements AwsModule {
  public static final ModuleName NAME = ModuleName.of("aws_account");
  /** The region {@code default_aws_region()} answers when no row is the default. */
  public static final String FALLBACK_REGION = "us-east-1";

  private final CloudAccount account = new AwsCloudAccount();

  @Override
  public ModuleName name() {
    return NAME;
  }

  @Override
  public String version() {
    return ReleaseCatalog.V0_0_20;
  }

  @Override
  public List<String> migrations() {
    return List.of(TABLES, FUNCTIONS);
  }

  /** The account every AWS module's mappers use; its clients come from the JVM's shared cache. */
  @Override
  public Optional<CloudAccount> account() {
    return Optional.of(account);
  }

  /**
   * From 0.0.18's single {@code aws_account} table: every key row moves to {@code aws_credentials} in order (so the
   * first stays the one used), the first row's region becomes the one default, enabled region, and the regional
   * tables' column default keeps working (the function is replaced in place, never dropped). The region list itself
   * is loaded from the cloud by the upgrade's next step.
   */
  @Override
  public List<String> upgradeFrom(String release) {
    if (!ReleaseCatalog.V0_0_18.equals(release)) {
      throw new IllegalArgumentException("aws_account cannot be upgraded from release " + release);
    }
    return List.of(TABLES, """
        INSERT INTO aws_credentials (access_key_id, secret_access_key)
          SELECT access_key_id, secret_access_key FROM aws_account ORDER BY id;
        -- 0.0.18 made every call in that region, so the cloud has it (the next step's sync removes it if not).
        INSERT INTO iasql_engine.aws_regions_listed (region)
          SELECT region FROM aws_account ORDER BY id LIMIT 1 ON CONFLICT DO NOTHING;
        INSERT INTO aws_regions (region, is_default, is_enabled)
          SELECT region, true, true FROM aws_account ORDER BY id LIMIT 1;
        DROP TABLE aws_account;
        """, FUNCTIONS);
  }

  /** The record of listed regions is not a module table (the tenant must not write it): dropped by hand. */
  @Override
  public String beforeUninstallSql() {
    return "DROP TABLE IF EXISTS iasql_engine.aws_regions_listed";
  }

  @Override
  public Map<String, Set<String>> secretColumns() {
    return Map.of("aws_credentials", Set.of("secret_access_key", "session_token"));
  }

  @Override
  public Set<String> keptByDeleteAll() {
    return Set.of("aws_credentials", "aws_regions");
  }

  private static final String TABLES = """
      CREATE TABLE aws_credentials (
        id serial PRIMARY KEY,
        access_key_id character varying NOT NULL,
        secret_access_key character varying NOT NULL,
        session_token character varying
      );
      CREATE TABLE aws_regions (
        region character varying PRIMARY KEY,
        is_default boolean NOT NULL DEFAULT false,
        is_enabled boolean NOT NULL DEFAULT true
      );
      -- At most one default. A partial unique index, not a trigger, so updating the default row itself
      -- (its is_enabled flag, say) is never mistaken for a second default.
      CREATE UNIQUE INDEX aws_regions_one_default ON aws_regions (is_default) WHERE is_default;
      -- The regions the cloud listed at a sync or apply, which alone may become the default: the engine's record, in
      -- its own schema, which the tenant can neither read nor write (aws_regions itself is the tenant's to edit).
      CREATE TABLE IF NOT EXISTS iasql_engine.aws_regions_listed (region character varying PRIMARY KEY);
      """;

  private static final String FUNCTIONS = """
      -- OR REPLACE: an upgrade replaces 0.0.18's body in place, which the regional column defaults depend on.
      -- Both pin their search_path and qualify our names: they run in the caller's session, where the caller's own
      -- (or temporary) objects named like ours would otherwise be found first.
      CREATE OR REPLACE FUNCTION default_aws_region() RETURNS character varying
      LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
        SELECT coalesce((SELECT r.region FROM public.aws_regions r WHERE r.is_default), '@FALLBACK@')
      $$;

      -- Makes r the one default region (and enables it). An unknown region, NULL or '' changes nothing.
      CREATE FUNCTION default_aws_region(r text) RETURNS character varying
      LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
      BEGIN
        PERFORM public.iasql_refuse_while_upgrading();
        IF r IS NULL OR r = '' OR NOT EXISTS (SELECT 1 FROM public.aws_regions a WHERE a.region = r) THEN
          RAISE EXCEPTION 'unknown AWS region %', coalesce(quote_literal(r), 'NULL')
            USING ERRCODE = '@UNKNOWN_REGION@',
                  HINT = 'SELECT region FROM aws_regions lists the regions; iasql_sync() loads them';
        END IF;
        UPDATE public.aws_regions SET is_default = false WHERE is_default AND region <> r;
        UPDATE public.aws_regions SET is_default = true, is_enabled = true WHERE region = r;
        RETURN r;
      END
      $$;

      -- A new default, by hand (IaSQL's scripts do UPDATE aws_regions SET is_default = TRUE) or through
      -- default_aws_region(r): it must be a region the cloud listed (a made-up default would be every regional
      -- table's column default, and sync could not remove it), and it is enabled with it, else its rows would never
      -- be read. A definer function only to read the engine's record of listed regions, which the tenant cannot.
      CREATE OR REPLACE FUNCTION aws_regions_new_default() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM iasql_engine.aws_regions_listed l WHERE l.region = NEW.region) THEN
          RAISE EXCEPTION 'AWS region % cannot be the default: the cloud has no such region', quote_literal(NEW.region)
            USING ERRCODE = '@UNKNOWN_REGION@',
                  DETAIL = 'only a region that iasql_sync() or iasql_apply() read from the cloud can be the default',
                  HINT = 'SELECT * FROM iasql_sync() loads the cloud''s regions into aws_regions (and removes made-up'
                      ' ones); then SELECT region FROM aws_regions lists them';
        END IF;
        NEW.is_enabled := true;
        RETURN NEW;
      END
      $$;
      CREATE OR REPLACE TRIGGER aws_regions_new_default_on_insert BEFORE INSERT ON aws_regions
        FOR EACH ROW WHEN (NEW.is_default) EXECUTE FUNCTION aws_regions_new_default();
      CREATE OR REPLACE TRIGGER aws_regions_new_default_on_update BEFORE UPDATE OF is_default, region ON aws_regions
        FOR EACH ROW WHEN (NEW.is_default AND (NOT OLD.is_default OR NEW.region <> OLD.region))
        EXECUTE FUNCTION aws_regions_new_default();
      """.replace("@FALLBACK@", FALLBACK_REGION).replace("@UNKNOWN_REGION@", AwsErrorCode.UNKNOWN_REGION.sqlState());

  /** Its mappers read and write through EC2. */
  @Override
  public List<Class<? extends SdkClient>> awsClients() {
    return List.of(Ec2Client.class);
  }
}
