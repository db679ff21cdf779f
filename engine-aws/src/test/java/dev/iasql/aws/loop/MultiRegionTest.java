package dev.iasql.aws.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.TestDatabase;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two enabled regions: resources in both, synced from both; moving a row to another region replaces it. */
@ExtendWith(IasqlExtension.class)
class MultiRegionTest {
  @Test
  void resourcesLiveInEveryEnabledRegionAndMoveByReplacement(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_security_group")) {
      c.enable("ap-southeast-2");
      assertThat(c.value("SELECT count(*) FROM vpc WHERE region = 'ap-southeast-2'"))
          .as("a region is read once it is enabled").isEqualTo(0L);
      c.sync();
      assertThat(c.value("SELECT count(*) FROM vpc WHERE is_default AND region = 'ap-southeast-2'")).isEqualTo(1L);
      assertThat(c.value("SELECT count(*) FROM availability_zone WHERE region = 'ap-southeast-2'"))
          .asString().isNotEqualTo("0");
      c.apply();

      String east = "east-" + UUID.randomUUID();
      String south = "south-" + UUID.randomUUID();
      c.exec("INSERT INTO security_group (description, group_name) VALUES ('in the default region', ?)", east);
      c.exec("INSERT INTO security_group (description, group_name, region) VALUES ('in sydney', ?,"
          + " 'ap-southeast-2')", south);
      c.apply();
      assertThat(ApplySyncTest.groups(c.ec2("us-east-1"), east)).hasSize(1);
      assertThat(ApplySyncTest.groups(c.ec2("ap-southeast-2"), south)).hasSize(1);
      assertThat(ApplySyncTest.groups(c.ec2("us-east-1"), south)).isEmpty();
      assertThat(c.previewSync()).isEmpty();

      // Out of band in the second region: sync sees it there.
      String byHand = "hand-" + UUID.randomUUID();
      String handId = c.ec2("ap-southeast-2").createSecurityGroup(r -> r.groupName(byHand).description("x"))
          .groupId();
      c.sync();
      assertThat(c.value("SELECT region FROM security_group WHERE group_id = ?", handId)).isEqualTo("ap-southeast-2");

      // Moving a group to another region creates it there and deletes it here.
      String oldId = (String) c.value("SELECT group_id FROM security_group WHERE group_name = ?", east);
      c.exec("DELETE FROM security_group_rule WHERE security_group_id = (SELECT id FROM security_group"
          + " WHERE group_name = ?)", east);
      c.exec("UPDATE security_group SET region = 'ap-southeast-2', vpc_id = NULL WHERE group_name = ?", east);
      assertThat(c.previewApply()).extracting(r -> r.get("action"), r -> r.get("table_name"))
          .contains(tuple("create", "security_group"), tuple("delete", "security_group"));
      c.apply();
      assertThat(ApplySyncTest.groups(c.ec2("us-east-1"), east)).isEmpty();
      assertThat(ApplySyncTest.groups(c.ec2("ap-southeast-2"), east)).hasSize(1);
      assertThat(c.value("SELECT group_id FROM security_group WHERE group_name = ?", east)).isNotEqualTo(oldId);
      assertThat(c.value("SELECT v.region FROM security_group s JOIN vpc v ON v.id = s.vpc_id"
          + " WHERE s.group_name = ?", east)).isEqualTo("ap-southeast-2");

      // A disabled region is left alone by both directions.
      c.exec("UPDATE aws_regions SET is_enabled = false WHERE region = 'ap-southeast-2'");
      assertThat(c.previewApply()).isEmpty();
      assertThat(c.previewSync()).isEmpty();
      assertThat(c.value("SELECT count(*) FROM security_group WHERE region = 'ap-southeast-2'"))
          .asString().isNotEqualTo("0");
    }
  }
}
