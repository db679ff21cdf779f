package dev.iasql.aws.singleregion;

import dev.iasql.aws.releases.Shipped;
import dev.iasql.aws.vpc.AwsVpcModule;
import dev.iasql.engine.release.ReleaseCatalog;

/**
 * {@code aws_vpc} at release 0.0.18: 0.0.20's tables without foreign keys to {@code aws_regions}.
 */
public final class SingleRegionVpcModule extends Shipped {
  public SingleRegionVpcModule() {
    super(new AwsVpcModule(), ReleaseCatalog.V0_0_18);
  }
}
