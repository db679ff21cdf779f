package dev.iasql.aws.release0020;

import dev.iasql.aws.releases.Shipped;
import dev.iasql.aws.securitygroup.AwsSecurityGroupModule;
import dev.iasql.engine.release.ReleaseCatalog;
import java.util.List;

/** {@code aws_security_group} as release 0.0.20 shipped it: IaSQL v0.0.20's tables, with foreign keys to {@code aws_regions}. */
public final class AwsSecurityGroupAt0020 extends Shipped {
  public AwsSecurityGroupAt0020() {
    super(new AwsSecurityGroupModule(), ReleaseCatalog.V0_0_20);
  }

  /**
   * From 0.0.18: the foreign keys to {@code aws_regions} 0.0.18 could not have (every region a row names joins the
   * list first), and the rule CHECK that accepts every rule AWS does instead of IaSQL's original.
   */
  @Override
  public List<String> upgradeFrom(String older) {
    if (!ReleaseCatalog.V0_0_18.equals(older)) {
      throw new IllegalArgumentException("aws_security_group at 0.0.20 follows 0.0.18, not " + older);
    }
    return List.of("""
        INSERT INTO aws_regions (region, is_enabled)
          SELECT region, false FROM security_group UNION SELECT region, false FROM security_group_rule
          ON CONFLICT (region) DO NOTHING;
        ALTER TABLE security_group ADD CONSTRAINT "FK_433340ca24146a956ba6eac946e" FOREIGN KEY (region)
          REFERENCES aws_regions (region) ON DELETE NO ACTION ON UPDATE NO ACTION;
        ALTER TABLE security_group_rule ADD CONSTRAINT "FK_2b4317dc68b3ba8fa5c9d4067c9" FOREIGN KEY (region)
          REFERENCES aws_regions (region) ON DELETE NO ACTION ON UPDATE NO ACTION;
        ALTER TABLE security_group_rule DROP CONSTRAINT "Check_security_or_ip_permissions";
        ALTER TABLE security_group_rule ADD CONSTRAINT "Check_security_or_ip_permissions" CHECK (
          ("from_port" IS NULL) = ("to_port" IS NULL) AND CASE
            WHEN "source_security_group" IS NULL THEN num_nonnulls("cidr_ipv4", "cidr_ipv6", "prefix_list_id") = 1
            ELSE "cidr_ipv6" IS NULL AND "prefix_list_id" IS NULL AND ("cidr_ipv4" IS NULL OR "cidr_ipv4" = '0.0.0.0/0')
          END);
        """);
  }
}
