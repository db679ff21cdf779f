package dev.iasql.aws.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Regions come from the cloud; the user's flags are the user's; a region the cloud lacks cannot be kept. */
@ExtendWith(IasqlExtension.class)
class RegionsTest {
  @Test
  void syncLoadsRegionsAndKeepsTheUsersFlags(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_vpc")) {
      assertThat((Long) c.value("SELECT count(*) FROM aws_regions")).as("loaded at install").isGreaterThan(20);
      assertThat(c.rows("SELECT region FROM aws_regions WHERE is_enabled")).extracting(r -> r.get("region"))
          .as("only the default region is read until you enable more").containsExactly("us-east-1");
      assertThat(c.value("SELECT count(*) FROM aws_regions WHERE is_default")).isEqualTo(0L);
      assertThat(c.value("SELECT default_aws_region()")).isEqualTo("us-east-1");

      c.exec("SELECT default_aws_region('eu-central-1')");
      c.exec("UPDATE aws_regions SET is_enabled = false WHERE region = 'us-east-1'");
      c.exec("UPDATE aws_regions SET is_enabled = true WHERE region = 'ca-central-1'");
      c.sync();
      assertThat(c.rows("SELECT region, is_default FROM aws_regions WHERE is_enabled ORDER BY region"))
          .extracting(r -> r.get("region"), r -> r.get("is_default"))
          .as("sync never resets the user's flags")
          .containsExactly(tuple("ca-central-1", false), tuple("eu-central-1", true));
      assertThat(c.value("SELECT count(*) FROM vpc WHERE is_default AND region = 'eu-central-1'")).isEqualTo(1L);

      c.exec("INSERT INTO aws_regions (region, is_enabled) VALUES ('xx-nowhere-1', false)");
      assertThat(c.previewSync()).extracting(r -> r.get("action"), r -> r.get("table_name"), r -> r.get("description"))
          .contains(tuple("delete", "aws_regions", "xx-nowhere-1"));
      c.sync();
      assertThat(c.value("SELECT count(*) FROM aws_regions WHERE region = 'xx-nowhere-1'")).isEqualTo(0L);
    }
  }

  /** IaSQL's apply undid a region row the cloud lacks (its regions mapper "creates" by deleting the row); so does ours. */
  @Test
  void applyRemovesARegionTheCloudLacksAndKeepsTheUsersFlags(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_vpc")) {
      c.exec("SELECT default_aws_region('eu-west-1')");
      c.exec("UPDATE aws_regions SET is_enabled = true WHERE region = 'ap-south-1'");
      c.exec("INSERT INTO aws_regions (region, is_enabled) VALUES ('mars-north-1', true)");
      c.exec("INSERT INTO aws_regions (region, is_enabled) VALUES ('mars-south-2', false)");
      c.apply();
      assertThat(c.value("SELECT count(*) FROM aws_regions WHERE region LIKE 'mars-%'"))
          .as("made-up regions are gone").isEqualTo(0L);
      assertThat(c.rows("SELECT region, is_default FROM aws_regions WHERE is_enabled ORDER BY region"))
          .extracting(r -> r.get("region"), r -> r.get("is_default"))
          .as("the user's flags on real regions are kept")
          .containsExactly(tuple("ap-south-1", false), tuple("eu-west-1", true), tuple("us-east-1", false));
      assertThat((Long) c.value("SELECT count(*) FROM aws_regions")).isGreaterThan(20);
      assertThat(c.previewApply()).as("nothing left to do").isEmpty();
    }
  }
}
