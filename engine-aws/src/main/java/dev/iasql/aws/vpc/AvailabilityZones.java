package dev.iasql.aws.vpc;

import static java.util.Objects.requireNonNull;

import dev.iasql.aws.AwsErrors;
import dev.iasql.engine.kit.Column;
import dev.iasql.engine.kit.Resources;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.kit.TableSpec;
import dev.iasql.engine.spi.CloudContext;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

/** {@code availability_zone}: AWS's zones of each region, keyed by name as IaSQL has them; read-only, AWS decides. */
final class AvailabilityZones implements Resources {
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
  public List<Row> list(CloudContext ctx, @Nullable String region) {
    String r = requireNonNull(region, "availability_zone is regional");
    Ec2Client ec2 = ctx.client(Ec2Client.class, r);
    // Not paginated by AWS. Without AllAvailabilityZones, only the zones the account can use (no opt-in zones).
    return AwsErrors.call("DescribeAvailabilityZones", r, () -> ec2.describeAvailabilityZones(
        b -> b.filters(Filter.builder().name("region-name").values(r).build())).availabilityZones().stream()
        .filter(z -> z.zoneName() != null).map(z -> Row.in(r).with("name", z.zoneName())).toList());
  }

  /** Never called: the kit applies nothing to a cloud-only table. */
  @Override
  public Row create(CloudContext ctx, Row desired) {
    throw new UnsupportedOperationException("availability zones come from AWS");
  }

  /** Never called: the kit applies nothing to a cloud-only table. */
  @Override
  public void delete(CloudContext ctx, Row actual) {
    throw new UnsupportedOperationException("availability zones come from AWS");
  }
}
