package dev.iasql.aws.vpc;

import dev.iasql.aws.AwsKitModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.ModuleName;
import java.util.List;

/**
 * {@code aws_vpc}: VPCs ({@code vpc}), their subnets ({@code subnet}) and the availability zones of each region
 * ({@code availability_zone}, read-only: AWS decides), on the module kit. Tables, columns and constraints are IaSQL
 * v0.0.20's, so its SQL runs unchanged, but for typed CIDRs: a bad one is refused at INSERT.
 */
public final class AwsVpcModule extends AwsKitModule {
  public static final ModuleName NAME = ModuleName.of("aws_vpc");

  public AwsVpcModule() {
    super(NAME, ReleaseCatalog.V0_0_22, new Table(AvailabilityZones.SPEC, new AvailabilityZones()),
        new Table(Vpcs.SPEC, new Vpcs()), new Table(Subnets.SPEC, new Subnets()));
  }

  /**
   * From 0.0.21, whose CIDRs were text: a row whose text is no CIDR stops the upgrade, named (IQ105), rather than be
   * lost; the user corrects or deletes it and upgrades again. Then both columns become {@code cidr}.
   */
  @Override
  public List<String> upgradeFrom(String older) {
    if (!ReleaseCatalog.V0_0_21.equals(older)) {
      throw new IllegalArgumentException("aws_vpc at 0.0.22 follows 0.0.21, not " + older);
    }
    return List.of("""
        DO $$
        DECLARE r record;
        BEGIN
          FOR r IN SELECT 'vpc' AS t, id, cidr_block FROM public.vpc
              UNION ALL SELECT 'subnet', id, cidr_block FROM public.subnet WHERE cidr_block IS NOT NULL ORDER BY 1, 2
          LOOP
            BEGIN
              PERFORM r.cidr_block::cidr;
            EXCEPTION WHEN invalid_text_representation OR invalid_parameter_value THEN
              RAISE EXCEPTION USING ERRCODE = 'IQ105', MESSAGE = format('%s row %s has cidr_block %L, which is no CIDR;'
                  ' release 0.0.22 types the column cidr', r.t, r.id, r.cidr_block),
                HINT = format('correct or delete that row (UPDATE %s SET cidr_block = ... WHERE id = %s), then call'
                  ' iasql_upgrade() again', r.t, r.id);
            END;
          END LOOP;
        END $$;
        ALTER TABLE public.vpc ALTER COLUMN cidr_block TYPE cidr USING cidr_block::cidr;
        ALTER TABLE public.subnet ALTER COLUMN cidr_block TYPE cidr USING cidr_block::cidr;
        """);
  }
}
