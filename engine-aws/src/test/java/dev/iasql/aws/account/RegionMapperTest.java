package dev.iasql.aws.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.aws.AwsTestExtensions;
import dev.iasql.aws.vpc.AwsTestDb;
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code aws_regions}' mapper: moto's region list in, the DB writes a sync makes, and the user's flags left alone. */
@ExtendWith(IasqlExtension.class)
class RegionMapperTest {
  private static Moto moto;
  private final RegionMapper mapper = new RegionMapper();

  @BeforeAll
  static void startMoto() {
    moto = Moto.start();
  }

  private static CloudContext installedWithKeys(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      AwsTestDb.installAwsAccount(c);
      Sql.rows(c, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
          moto.account().accessKeyId(), moto.account().secretAccessKey());
    }
    try (Connection admin = db.admin()) {
      return new AwsAccountModule().account().orElseThrow().open(admin, db.name(), AwsTestExtensions.SHARED);
    }
  }

  /** What a sync does for a CLOUD table with this mapper: insert what is missing, delete what the cloud lacks. */
  private void sync(Connection admin, List<AwsRegion> cloud) throws Exception {
    List<String> names = cloud.stream().map(mapper::cloudKey).toList();
    List<AwsRegion> db = mapper.readDb(admin);
    for (AwsRegion r : cloud) {
      if (db.stream().noneMatch(d -> d.region().equals(r.region()))) {
        mapper.insertDb(admin, r);
      }
    }
    for (AwsRegion d : db) {
      if (!names.contains(d.region())) {
        mapper.deleteDb(admin, d);
      }
    }
  }

  private static List<String> enabled(Connection c) throws Exception {
    return Sql.rows(c, "SELECT region FROM aws_regions WHERE is_enabled ORDER BY region").stream()
        .map(r -> (String) r.get("region")).toList();
  }

  @Test
  void describesTheTable() {
    AwsRegion r = new AwsRegion("eu-west-1", true, true, true);
    assertThat(mapper.table()).isEqualTo("aws_regions");
    assertThat(mapper.source()).isEqualTo(Mapper.Source.CLOUD);
    assertThat(mapper.scope()).isEqualTo(Mapper.Scope.GLOBAL);
    assertThat(mapper.cloudKey(r)).isEqualTo("eu-west-1");
    assertThat(mapper.describe(r)).isEqualTo("eu-west-1");
    assertThat(mapper.region(r)).isNull();
    assertThat(mapper.rowId(r)).isNull();
    assertThat(mapper.compare(r, AwsRegion.fromCloud("eu-west-1"))).as("flags are the user's")
        .isEqualTo(Difference.NONE);
    assertThat(mapper.compare(new AwsRegion("eu-west-1", true, true, false), AwsRegion.fromCloud("eu-west-1")))
        .as("a row not yet recorded as listed by the cloud gets that record").isEqualTo(Difference.CLOUD_FIELDS);
    assertThatThrownBy(() -> mapper.create(null, r)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> mapper.delete(null, r)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void readsTheRegionsOfTheAccountFromTheCloud(TestDatabase db) throws Exception {
    List<AwsRegion> regions = mapper.readCloud(installedWithKeys(db), null);
    assertThat(regions).hasSizeGreaterThanOrEqualTo(20);
    assertThat(regions).extracting(AwsRegion::region).contains("us-east-1", "eu-west-1", "us-west-2")
        .isSorted().doesNotHaveDuplicates();
    assertThat(regions).allMatch(r -> !r.isDefault() && !r.isEnabled());
  }

  @Test
  void syncLoadsRegionsEnablingOnlyTheDefaultAndKeepsTheUsersFlags(TestDatabase db) throws Exception {
    CloudContext ctx = installedWithKeys(db);
    List<AwsRegion> cloud = mapper.readCloud(ctx, null);
    try (Connection admin = db.admin()) {
      sync(admin, cloud);
      assertThat(mapper.readDb(admin)).hasSize(cloud.size());
    }
    try (Connection c = db.tenant()) {
      assertThat(enabled(c)).as("only the default region is read until more are enabled")
          .containsExactly("us-east-1");
      assertThat(Sql.value(c, "SELECT count(*) FROM aws_regions WHERE is_default")).isEqualTo(0L);
      assertThat(Sql.value(c, "SELECT default_aws_region('eu-west-1')")).isEqualTo("eu-west-1");
      Sql.rows(c, "UPDATE aws_regions SET is_enabled = false WHERE region = 'us-east-1'");
      Sql.rows(c, "UPDATE aws_regions SET is_enabled = true WHERE region = 'ap-south-1'");
      // a region the cloud no longer has, and one row already gone from the DB
      Sql.rows(c, "INSERT INTO aws_regions (region, is_enabled) VALUES ('mars-north-1', true)");
      Sql.rows(c, "DELETE FROM aws_regions WHERE region = 'us-west-2'");
    }
    try (Connection admin = db.admin()) {
      sync(admin, mapper.readCloud(ctx, null));
      // inserting a row that is already there changes nothing either
      mapper.insertDb(admin, AwsRegion.fromCloud("eu-west-1"));
    }
    try (Connection c = db.tenant()) {
      assertThat(enabled(c)).as("flags survive the sync").containsExactly("ap-south-1", "eu-west-1");
      assertThat(Sql.value(c, "SELECT default_aws_region()")).isEqualTo("eu-west-1");
      assertThat(Sql.value(c, "SELECT count(*) FROM aws_regions WHERE region = 'mars-north-1'")).isEqualTo(0L);
      assertThat(Sql.rows(c, "SELECT is_default, is_enabled FROM aws_regions WHERE region = 'us-west-2'"))
          .as("back, not enabled: it is not the default").singleElement()
          .satisfies(r -> assertThat(r).containsEntry("is_default", false).containsEntry("is_enabled", false));
      assertThat(Sql.value(c, "SELECT count(*) FROM aws_regions")).isEqualTo((long) mapper.readCloud(ctx, null).size());
    }
  }
}
