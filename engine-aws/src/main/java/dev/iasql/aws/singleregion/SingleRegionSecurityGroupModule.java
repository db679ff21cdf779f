package dev.iasql.aws.singleregion;

import dev.iasql.aws.releases.Shipped;
import dev.iasql.aws.securitygroup.AwsSecurityGroupModule;
import dev.iasql.engine.release.ReleaseCatalog;

/**
 * {@code aws_security_group} at release 0.0.18: 0.0.20's tables without foreign keys to {@code aws_regions}, and IaSQL's
 * stricter rule CHECK.
 */
public final class SingleRegionSecurityGroupModule extends Shipped {
  public SingleRegionSecurityGroupModule() {
    super(new AwsSecurityGroupModule(), ReleaseCatalog.V0_0_18);
  }
}
