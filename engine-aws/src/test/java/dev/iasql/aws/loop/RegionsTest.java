package dev.iasql.aws.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;

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

  /**
   * A made-up region can be a row until the next sync or apply removes it, but never the default (which would be the
   * region of every new row): refused when set, however it is set, naming the region and how to list the real ones.
   */
  @Test
  void aMadeUpRegionCannotBecomeTheDefault(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_vpc")) {
      c.exec("SELECT default_aws_region('eu-west-1')");
      PSQLException inserted = Sql.failure(c.tenant(),
          "INSERT INTO aws_regions (region, is_default) VALUES ('mars-east-1', true)");
      assertThat(inserted.getSQLState()).isEqualTo("IQ505");
      assertThat(inserted.getServerErrorMessage().getMessage())
          .isEqualTo("AWS region 'mars-east-1' cannot be the default: the cloud has no such region");
      assertThat(Sql.hint(inserted)).contains("iasql_sync()").contains("SELECT region FROM aws_regions");

      c.exec("INSERT INTO aws_regions (region, is_enabled) VALUES ('mars-east-1', true)");
      for (String set : List.of(
          "UPDATE aws_regions SET is_default = (region = 'mars-east-1') WHERE is_default OR region = 'mars-east-1'",
          "SELECT default_aws_region('mars-east-1')",
          "UPDATE aws_regions SET region = 'mars-west-1' WHERE is_default")) {
        PSQLException e = Sql.failure(c.tenant(), set);
        assertThat(e.getSQLState()).as(set).isEqualTo("IQ505");
        assertThat(e.getServerErrorMessage().getMessage()).as(set).contains("mars-");
      }
      assertThat(c.value("SELECT default_aws_region()")).as("nothing changed").isEqualTo("eu-west-1");

      c.sync();
      assertThat(c.value("SELECT count(*) FROM aws_regions WHERE region LIKE 'mars-%'")).isEqualTo(0L);
      assertThat(c.rows("SELECT region FROM aws_regions WHERE is_default")).extracting(r -> r.get("region"))
          .as("the user's default is kept").containsExactly("eu-west-1");
      c.exec("DELETE FROM aws_regions WHERE region = 'ap-south-1'");
      c.exec("INSERT INTO aws_regions (region, is_default) VALUES ('ap-south-1', false)");
      c.exec("SELECT default_aws_region('ap-south-1')");
      assertThat(c.value("SELECT default_aws_region()")).as("a real region typed in by hand").isEqualTo("ap-south-1");
    }
  }

  /**
   * A row of a real region the engine has no record of (a database made before the record existed) cannot be the
   * default until a sync or apply reads the cloud's list; then it can, and the row is in sync.
   */
  @Test
  void aRealRegionWithoutTheRecordGetsItAtTheNextSync(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_vpc");
         Connection admin = db.admin()) {
      Sql.exec(admin, "DELETE FROM iasql_engine.aws_regions_listed WHERE region = 'eu-west-1'");
      assertThat(Sql.failure(c.tenant(), "SELECT default_aws_region('eu-west-1')").getSQLState()).isEqualTo("IQ505");
      assertThat(c.previewSync()).extracting(r -> r.get("action"), r -> r.get("table_name"), r -> r.get("description"))
          .containsExactly(tuple("update", "aws_regions", "eu-west-1"));
      c.sync();
      assertThat(c.previewSync()).as("recorded once, then in sync").isEmpty();
      assertThat(c.value("SELECT default_aws_region('eu-west-1')")).isEqualTo("eu-west-1");
    }
  }

  /**
   * A database whose aws_account was installed before the engine kept its record of listed regions (no such table):
   * sync and apply work as they did, and made-up regions still go.
   */
  @Test
  void aDatabaseWithoutTheRecordStillSyncsAndApplies(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_vpc");
         Connection admin = db.admin()) {
      Sql.exec(admin, "DROP TABLE iasql_engine.aws_regions_listed");
      c.exec("INSERT INTO aws_regions (region, is_enabled) VALUES ('mars-south-1', false)");
      assertThat(c.previewSync()).extracting(r -> r.get("action"), r -> r.get("description"))
          .containsExactly(tuple("delete", "mars-south-1"));
      c.sync();
      c.apply();
      assertThat(c.value("SELECT count(*) FROM aws_regions WHERE region LIKE 'mars-%'")).isEqualTo(0L);
      assertThat(c.previewSync()).isEmpty();
    }
  }
}
