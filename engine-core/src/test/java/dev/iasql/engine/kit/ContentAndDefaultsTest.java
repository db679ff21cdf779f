package dev.iasql.engine.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.Mapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Resources known by their content with several spellings (a security group rule), references the cloud picks when
 * NULL (a group's VPC), and what the cloud owns (a default group): how the kit keys and compares them.
 */
class ContentAndDefaultsTest {
  static final TableSpec GROUP = TableSpec.regional("grp")
      .column(Column.text("name").notNull().replacedOnChange())
      .column(Column.text("group_id").cloudAssigned())
      .reference(Reference.to("net_id", "net", "net_id").cloudPicksDefault())
      .cloudId("group_id", false)
      .survivesCrashBy(CrashSafety.rowTag())
      .build();

  static final TableSpec RULE = TableSpec.regional("rule")
      .column(Column.text("rule_id").cloudAssigned())
      .column(Column.text("protocol"))
      .column(Column.text("note"))
      .reference(Reference.to("group_ref", "grp", "group_id"))
      .cloudId("rule_id", false)
      .identifiedBy("group_ref", "protocol")
      .build();

  /** Cloud calls never made; the rule's spellings: {@code 6} is {@code tcp}, and no protocol is all ({@code -1}). */
  static class Calls extends ComparisonTest.Calls implements Resources.Normalises, Resources.CloudOwned {
    @Override
    public Row normalise(Row v) {
      String p = v.text("protocol");
      return v.with("protocol", p == null ? "-1" : "6".equals(p) ? "tcp" : p);
    }

    @Override
    public boolean ownedByCloud(Row cloud) {
      return "default".equals(cloud.get("name"));
    }
  }

  static Row db(Map<String, Object> values) {
    return new Row(1, "us-east-1", values, null, null);
  }

  @Test
  void aResourceKnownByItsContentIsKeyedAndComparedInItsNormalForm() {
    Mapper<Row> rules = RULE.mapper(new Calls());
    Row cloud = Row.in("us-east-1").with("rule_id", "sgr-1").with("group_ref", "sg-1").with("protocol", "tcp");
    Row written = db(Map.of("group_ref", "sg-1", "protocol", "6"));
    assertThat(rules.cloudKey(cloud)).isEqualTo("us-east-1/sg-1/tcp");
    assertThat(rules.cloudKey(written)).as("a row without the cloud id finds the resource").isEqualTo(
        rules.cloudKey(cloud));
    assertThat(rules.cloudKey(db(Map.of("group_ref", "sg-1")))).isEqualTo("us-east-1/sg-1/-1");
    assertThat(rules.compare(written, cloud)).as("only the cloud id to write back").isEqualTo(
        Difference.CLOUD_FIELDS);
    assertThat(rules.compare(written.with("rule_id", "sgr-1"), cloud)).isEqualTo(Difference.NONE);
    assertThat(rules.compare(written.with("rule_id", "sgr-1").with("note", "x"), cloud)).isEqualTo(
        Difference.UPDATE);
    assertThat(rules.cloudKey(db(Map.of("protocol", "tcp")))).as("no group: no identity yet").isNull();
    assertThat(rules.cloudKey(new Row(1, "us-east-1", Map.of("protocol", "tcp"), null, "grp row 3")))
        .as("waiting for its group").isNull();
    assertThat(RULE.crashSafety()).as("found by its content after a lost write-back").isNull();
    assertThatThrownBy(() -> TableSpec.regional("rule").column(Column.text("rule_id").cloudAssigned())
        .cloudId("rule_id", false).identifiedBy("nothing").build()).hasMessageContaining("identifiedBy names no column");
  }

  @Test
  void aNullReferenceTheCloudPicksTakesItsValueAndAnOwnedResourceIsPutBack() {
    Mapper<Row> groups = GROUP.mapper(new Calls());
    Row cloud = Row.in("us-east-1").with("name", "web").with("group_id", "sg-1").with("net_id", "net-1");
    Row row = db(Map.of("name", "web", "group_id", "sg-1"));
    assertThat(groups.compare(row, cloud)).as("no net: the one the cloud picked").isEqualTo(
        Difference.CLOUD_FIELDS);
    assertThat(groups.compare(row.with("net_id", "net-1"), cloud)).isEqualTo(Difference.NONE);
    assertThat(groups.compare(row.with("net_id", "net-2"), cloud)).as("another net is a change").isEqualTo(
        Difference.UPDATE);

    Row owned = cloud.with("name", "default");
    assertThat(groups.compare(row.with("net_id", "net-1").with("name", "renamed"), owned))
        .as("what the cloud owns is put back, never replaced").isEqualTo(Difference.CLOUD_FIELDS);
    assertThat(groups.compare(row.with("net_id", "net-2").with("name", "default"), owned))
        .as("what changes in place still does (CloudOwnedTablesTest: a default VPC's tags)")
        .isEqualTo(Difference.UPDATE);
  }
}
