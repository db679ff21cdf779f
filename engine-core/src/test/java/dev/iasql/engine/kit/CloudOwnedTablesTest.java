package dev.iasql.engine.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.Mapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What IaSQL's {@code aws_vpc} tables need of the kit: resources the cloud owns never replaced, unlisted attributes,
 * enum-typed columns, a table keyed by name, foreign keys by name, IaSQL's name for the (id, region) key, and the
 * engine's row tag kept out of tags.
 */
class CloudOwnedTablesTest {
  static final TableSpec NETS = TableSpec.regional("net")
      .column(Column.text("net_id").cloudAssigned())
      .column(Column.of("cidr_block", ColumnType.CIDR).notNull().replacedOnChange())
      .column(Column.text("state").cloudAssigned())
      .column(Column.of("is_default", ColumnType.BOOLEAN).notNull().defaultSql("false").cloudAssigned())
      .column(Column.of("dns", ColumnType.BOOLEAN).notNull().defaultSql("false").unlisted())
      .column(Column.of("tags", ColumnType.TAGS))
      .cloudId("net_id", false)
      .enumType("state", "net_state_enum", "available", "pending")
      .unique("uq_net_region", "id", TableSpec.REGION)
      .survivesCrashBy(CrashSafety.rowTag())
      .build();

  static final TableSpec ZONES = TableSpec.regional("zone").column(Column.text("name").notNull())
      .cloudId("name", false).keyedBy("name").unique("uq_zone_region", "name", TableSpec.REGION).cloudOnly().build();

  static final TableSpec HOSTS = TableSpec.regional("host").column(Column.text("host_id").cloudAssigned())
      .column(Column.text("zone").notNull()).reference(Reference.to("net_id", "net", "net_id").notNull())
      .foreignKey("FK_host_zone", List.of("zone", TableSpec.REGION), "zone", List.of("name", TableSpec.REGION))
      .cloudId("host_id", false).survivesCrashBy(CrashSafety.rowTag()).build();

  /** A double of our own SPI (calls never made): the default net is the cloud's; changes in place. */
  static class Nets extends ComparisonTest.Calls implements Resources.CloudOwned {
    @Override
    public boolean ownedByCloud(Row cloud) {
      return Boolean.TRUE.equals(cloud.get("is_default"));
    }
  }

  static final Mapper<Row> MAPPER = NETS.mapper(new Nets());

  static Row cloud(boolean isDefault) {
    return Row.in("us-east-1").with("net_id", "net-1").with("cidr_block", "10.0.0.0/16").with("state", "available")
        .with("is_default", isDefault).with("tags", Map.of("env", "prod"));
  }

  static Row db(boolean isDefault) {
    return new Row(1, "us-east-1", cloud(isDefault).with("dns", true).values(), null, null);
  }

  @Test
  void whatTheCloudOwnsIsPutBackNeverReplaced() {
    assertThat(MAPPER.compare(db(false).with("cidr_block", "10.9.0.0/16"), cloud(false))).isEqualTo(Difference.REPLACE);
    assertThat(MAPPER.compare(db(true).with("cidr_block", "10.9.0.0/16"), cloud(true)))
        .as("replacing would delete the cloud's own").isEqualTo(Difference.CLOUD_FIELDS);
    assertThat(MAPPER.compare(db(true).with("tags", Map.of("env", "dev")), cloud(true)))
        .as("what changes in place still does").isEqualTo(Difference.UPDATE);
  }

  @Test
  void anUnlistedValueCountsOnlyWhereTheCloudSaysIt() {
    assertThat(MAPPER.compare(db(false), cloud(false))).as("unknown: no difference").isEqualTo(Difference.NONE);
    assertThat(MAPPER.compare(db(false), cloud(false).with("dns", false))).as("known: a difference")
        .isEqualTo(Difference.UPDATE);
    assertThatThrownBy(() -> Column.of("x", ColumnType.BOOLEAN).notNull().cloudAssigned())
        .as("NOT NULL before apply needs a DEFAULT").hasMessageContaining("unless it has a DEFAULT");
  }

  @Test
  void theEnginesRowTagIsNoUsersTag() {
    assertThat(Store.tags("{\"env\": \"prod\", \"" + CrashSafety.ROW_TAG_KEY + "\": \"db/net/1\"}"))
        .isEqualTo(Map.of("env", "prod"));
  }

  @Test
  void theDdlHasEnumTypesNameKeysNamedForeignKeysAndIasqlsIdRegionKey() {
    assertThat(NETS.ddl()).startsWith("CREATE TYPE \"net_state_enum\" AS ENUM ('available', 'pending');\n")
        .contains("\"state\" \"net_state_enum\",", "\"is_default\" boolean NOT NULL DEFAULT false",
            "CONSTRAINT \"uq_net_region\" UNIQUE (\"id\", \"region\")").doesNotContain("uq_net_id_region");
    assertThat(ZONES.ddl()).doesNotContain("\"id\"").contains("PRIMARY KEY (\"name\")");
    assertThat(HOSTS.ddl()).contains("ADD CONSTRAINT \"FK_host_zone\" FOREIGN KEY (\"zone\", \"region\") REFERENCES"
        + " \"zone\" (\"name\", \"region\");");
    assertThat(HOSTS.mapper(new Nets()).dependsOn()).containsExactlyInAnyOrder("net", "zone");
    KitModule m = new KitModule(dev.iasql.engine.spi.ModuleName.of("test_nets"), "0.0.22", List.of(),
        new KitModule.Table(NETS, new Nets())) {};
    assertThat(m.beforeUninstallSql()).isEqualTo("DROP TYPE IF EXISTS \"net_state_enum\" CASCADE;");
  }

  @Test
  void theShapesAreChecked() {
    assertThatThrownBy(() -> TableSpec.regional("zone").column(Column.text("name")).cloudId("name", false)
        .keyedBy("name").cloudOnly().build()).hasMessageContaining("must be a NOT NULL column");
    assertThatThrownBy(() -> TableSpec.regional("zone").column(Column.text("name").notNull())
        .column(Column.of("n", ColumnType.INTEGER)).cloudId("name", false).enumType("n", "n_enum", "a").cloudOnly()
        .build()).hasMessageContaining("an enum type needs a text column: n");
  }
}
