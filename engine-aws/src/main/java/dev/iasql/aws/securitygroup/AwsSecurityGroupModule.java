package dev.iasql.aws.securitygroup;

import dev.iasql.aws.AwsKitModule;
import dev.iasql.aws.vpc.AwsVpcModule;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.ModuleName;
import java.util.List;

/**
 * {@code aws_security_group}: security groups ({@code security_group}) and their rules ({@code security_group_rule}),
 * on the module kit, with IaSQL v0.0.20's tables and constraints (one CHECK relaxed: {@link SecurityGroupRules}).
 */
public final class AwsSecurityGroupModule extends AwsKitModule {
  public static final ModuleName NAME = ModuleName.of("aws_security_group");

  public AwsSecurityGroupModule() {
    super(NAME, ReleaseCatalog.V0_0_22, List.of(AwsVpcModule.NAME),
        new Table(SecurityGroups.SPEC, new SecurityGroups()), new Table(SecurityGroupRules.SPEC,
            new SecurityGroupRules()));
  }

  /**
   * From 0.0.21: the kit's names for the (id, region) keys, a rule's source group in the rule's region (AWS refers to
   * no group across regions) and AWS's port range, both checked on new values only (NOT VALID keeps every row).
   */
  @Override
  public List<String> upgradeFrom(String older) {
    if (!ReleaseCatalog.V0_0_21.equals(older)) {
      throw new IllegalArgumentException("aws_security_group at 0.0.22 follows 0.0.21, not " + older);
    }
    return List.of("""
        ALTER TABLE security_group RENAME CONSTRAINT uq_security_group_region TO uq_security_group_id_region;
        ALTER TABLE security_group_rule RENAME CONSTRAINT uq_security_group_rule_region
          TO uq_security_group_rule_id_region;
        ALTER TABLE security_group_rule DROP CONSTRAINT "FK_6c6a7f58211fed8abb79e6c913f";
        ALTER TABLE security_group_rule ADD CONSTRAINT "FK_6c6a7f58211fed8abb79e6c913f"
          FOREIGN KEY (source_security_group, region) REFERENCES security_group (id, region) NOT VALID;
        ALTER TABLE security_group_rule ADD CONSTRAINT security_group_rule_from_port_check
          CHECK ("from_port" BETWEEN -1 AND 65535) NOT VALID;
        ALTER TABLE security_group_rule ADD CONSTRAINT security_group_rule_to_port_check
          CHECK ("to_port" BETWEEN -1 AND 65535) NOT VALID;
        """);
  }
}
