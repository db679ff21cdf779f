package dev.iasql.aws.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.TestDatabase;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * delete_all_records() and then keep going: IaSQL never used a database after it, and the next step failed. The
 * defaults AWS owns survive the apply that follows; the database stays fully usable.
 */
@ExtendWith(IasqlExtension.class)
class DeleteAllRecordsTest {
  @Test
  void deleteEverythingApplyThenKeepUsingTheDatabase(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_vpc")) {
      c.apply();
      c.exec("INSERT INTO vpc (cidr_block) VALUES ('10.77.0.0/16')");
      c.apply();
      String vpcId = (String) c.value("SELECT vpc_id FROM vpc WHERE cidr_block = '10.77.0.0/16'");
      String defaultVpc = (String) c.value("SELECT vpc_id FROM vpc WHERE is_default AND region = 'us-east-1'");
      long regions = (Long) c.value("SELECT count(*) FROM aws_regions");

      c.exec("SELECT delete_all_records()");
      assertThat(c.value("SELECT count(*) FROM vpc")).isEqualTo(0L);
      assertThat(c.value("SELECT count(*) FROM subnet")).isEqualTo(0L);
      assertThat(c.value("SELECT count(*) FROM aws_credentials")).isEqualTo(1L);
      assertThat(c.value("SELECT count(*) FROM aws_regions")).isEqualTo(regions);

      assertThat(c.previewApply()).extracting(r -> r.get("description"))
          .as("the VPC we made goes; the default one AWS owns does not").contains(vpcId).doesNotContain(defaultVpc);
      c.apply();
      var ec2 = c.ec2("us-east-1");
      assertThat(ec2.describeVpcs(r -> r.vpcIds(defaultVpc)).vpcs()).hasSize(1);
      assertThat(ec2.describeVpcs(r -> r.filters(Filter.builder().name("vpc-id").values(vpcId).build())).vpcs()).isEmpty();
      assertThat(c.value("SELECT vpc_id FROM vpc WHERE is_default AND region = 'us-east-1'"))
          .as("the default VPC's row is back").isEqualTo(defaultVpc);
      assertThat(c.value("SELECT count(*) FROM subnet WHERE region = 'us-east-1'")).asString().isNotEqualTo("0");
      assertThat(c.previewApply()).isEmpty();

      // And the database keeps working: another module, new resources, sync.
      c.rows("SELECT * FROM iasql_install('aws_security_group')");
      String name = "after-" + UUID.randomUUID();
      c.exec("INSERT INTO security_group (description, group_name) VALUES ('after delete_all_records', ?)", name);
      c.apply();
      assertThat(ApplySyncTest.groups(ec2, name)).hasSize(1);
      assertThat(c.sync()).isEmpty();
      c.exec("SELECT delete_all_records()");
      c.apply();
      assertThat(ApplySyncTest.groups(ec2, name)).isEmpty();
      assertThat(c.value("SELECT count(*) FROM security_group WHERE group_name = 'default'"))
          .as("default groups survive too").asString().isNotEqualTo("0");
    }
  }
}
