package dev.iasql.aws.release0020;

import dev.iasql.aws.releases.Shipped;
import dev.iasql.aws.vpc.AwsVpcModule;
import dev.iasql.engine.release.ReleaseCatalog;
import java.util.List;

/** {@code aws_vpc} as release 0.0.20 shipped it: IaSQL v0.0.20's tables, with foreign keys to {@code aws_regions}. */
public final class AwsVpcAt0020 extends Shipped {
  public AwsVpcAt0020() {
    super(new AwsVpcModule(), ReleaseCatalog.V0_0_20);
  }

  /**
   * From 0.0.18, which had no {@code aws_regions}: every region a row names joins the list (the account module's
   * upgrade already put the old default there), then the foreign keys 0.0.18 could not have are added.
   */
  @Override
  public List<String> upgradeFrom(String older) {
    if (!ReleaseCatalog.V0_0_18.equals(older)) {
      throw new IllegalArgumentException("aws_vpc at 0.0.20 follows 0.0.18, not " + older);
    }
    return List.of("""
        INSERT INTO aws_regions (region, is_enabled)
          SELECT region, false FROM vpc UNION SELECT region, false FROM subnet
          UNION SELECT region, false FROM availability_zone
          ON CONFLICT (region) DO NOTHING;
        ALTER TABLE vpc ADD CONSTRAINT "FK_4e3193d811417bcd61e4f305e74" FOREIGN KEY (region)
          REFERENCES aws_regions (region) ON DELETE NO ACTION ON UPDATE NO ACTION;
        ALTER TABLE availability_zone ADD CONSTRAINT "FK_9557e4873661a90723a39e5b9c2" FOREIGN KEY (region)
          REFERENCES aws_regions (region) ON DELETE NO ACTION ON UPDATE NO ACTION;
        ALTER TABLE subnet ADD CONSTRAINT "FK_01b828964edce6b867e4e554b97" FOREIGN KEY (region)
          REFERENCES aws_regions (region) ON DELETE NO ACTION ON UPDATE NO ACTION;
        """);
  }
}
