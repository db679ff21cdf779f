package dev.iasql.aws.vpc;

import dev.iasql.aws.AwsResources;
import dev.iasql.engine.kit.Column;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.kit.TableSpec;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

/** {@code availability_zone}: AWS's zones of each region, keyed by name as IaSQL has them; read-only, AWS decides. */
final class AvailabilityZones extends AwsResources<Ec2Client> {
  static final TableSpec SPEC = TableSpec.regional("availability_zone")
      .column(Column.text("name").notNull())
      .cloudId("name", false)
      .keyedBy("name")
      .primaryKey("PK_16d2ffe3b36dfa0f1de3c280c01")
      .unique("uq_az_region", "name", TableSpec.REGION)
      .regionForeignKey("FK_9557e4873661a90723a39e5b9c2")
      .cloudOnly()
      .build();

  @Override
  protected List<Row> list(Aws<Ec2Client> ec2) {
    // Not paginated by AWS. Without AllAvailabilityZones, only the zones the account can use (no opt-in zones).
    return ec2.call("DescribeAvailabilityZones", c -> c.describeAvailabilityZones(
        b -> b.filters(Filter.builder().name("region-name").values(ec2.region()).build()))).availabilityZones()
        .stream().filter(z -> z.zoneName() != null).map(z -> ec2.row().with("name", z.zoneName())).toList();
  }

  /** Never called: the kit applies nothing to a cloud-only table. */
  @Override
  protected Row create(Aws<Ec2Client> ec2, Row desired) {
    throw new UnsupportedOperationException("availability zones come from AWS");
  }

  /** Never called: the kit applies nothing to a cloud-only table. */
  @Override
  protected void delete(Aws<Ec2Client> ec2, Row actual) {
    throw new UnsupportedOperationException("availability zones come from AWS");
  }
}
