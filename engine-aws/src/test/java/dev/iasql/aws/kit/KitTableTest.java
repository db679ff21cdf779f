package dev.iasql.aws.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.aws.vpc.AwsTestDb;
import dev.iasql.engine.kit.Column;
import dev.iasql.engine.kit.ColumnType;
import dev.iasql.engine.kit.CrashSafety;
import dev.iasql.engine.kit.Reference;
import dev.iasql.engine.kit.Resources;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.kit.TableSpec;
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A kit table's generated DDL and DB reads and writes, on embedded PostgreSQL: the DDL runs, the tenant's bad values
 * are refused at INSERT by their types and CHECKs, and the kit reads references as cloud ids and writes them back as
 * row ids.
 */
@ExtendWith(IasqlExtension.class)
class KitTableTest {
  static final TableSpec NET = TableSpec.regional("kit_net")
      .column(Column.of("cidr_block", ColumnType.CIDR).notNull().replacedOnChange())
      .column(Column.text("state").cloudAssigned().oneOf("pending", "available"))
      .column(Column.text("net_id").cloudAssigned())
      .cloudId("net_id", false)
      .primaryKey("PK_kit_net")
      .regionForeignKey("FK_kit_net_region")
      .survivesCrashBy(CrashSafety.rowTag())
      .build();

  static final TableSpec HOST = TableSpec.regional("kit_host")
      .column(Column.text("name").notNull().replacedOnChange().matches("^[a-z][a-z0-9-]{0,62}$"))
      .column(Column.of("address", ColumnType.INET))
      .column(Column.of("policy", ColumnType.JSON))
      .column(Column.of("tags", ColumnType.TAGS))
      .column(Column.of("port", ColumnType.INTEGER).defaultSql("80"))
      .column(Column.of("created", ColumnType.TIMESTAMPTZ).cloudAssigned())
      .column(Column.text("host_arn").cloudAssigned())
      .reference(Reference.to("net_id", "kit_net", "net_id").named("FK_kit_host_net"))
      .cloudId("host_arn", true)
      .describedBy("name")
      .unique("UQ_kit_host_name", "name", "region")
      .survivesCrashBy(CrashSafety.uniqueName("name"))
      .build();

  /** The DB side never calls the cloud. */
  static final Resources NO_CLOUD = new Resources() {
    @Override
    public List<Row> list(CloudContext ctx, @Nullable String region) {
      throw new AssertionError("not called");
    }

    @Override
    public Row create(CloudContext ctx, Row desired) {
      throw new AssertionError("not called");
    }

    @Override
    public void delete(CloudContext ctx, Row actual) {
      throw new AssertionError("not called");
    }
  };

  /** The two tables in a database with aws_account, created as the admin (as install does), granted to the tenant. */
  static void createTables(TestDatabase db) throws Exception {
    try (Connection tenant = db.tenant()) {
      AwsTestDb.installAwsAccount(tenant);
      // Not the default: only a region the cloud listed may be that; default_aws_region() is us-east-1 all the same.
      Sql.exec(tenant, "INSERT INTO aws_regions (region, is_default, is_enabled) VALUES ('us-east-1', false, true)");
    }
    try (Connection admin = db.admin()) {
      Sql.exec(admin, NET.ddl());
      Sql.exec(admin, HOST.ddl());
      String grant = (String) Sql.value(admin, "SELECT format('GRANT ALL ON kit_net, kit_host, kit_net_id_seq,"
          + " kit_host_id_seq TO %I', ?::text)", db.created().pgUser());
      Sql.exec(admin, grant);
    }
  }

  @Test
  void theDdlRunsAndRefusesBadValuesAtInsert(TestDatabase db) throws Exception {
    createTables(db);
    try (Connection c = db.tenant()) {
      Sql.exec(c, "INSERT INTO kit_net (cidr_block) VALUES ('10.0.0.0/16')");
      assertThat(Sql.value(c, "SELECT region FROM kit_net")).as("the default region").isEqualTo("us-east-1");
      assertThat(Sql.failure(c, "INSERT INTO kit_net (cidr_block) VALUES ('10.0.0.300/16')").getSQLState())
          .as("not an address").isEqualTo("22P02");
      assertThat(Sql.failure(c, "INSERT INTO kit_net (cidr_block, state) VALUES ('10.1.0.0/16', 'gone')")
          .getMessage()).as("not one of AWS's states").contains("kit_net_state_check");
      assertThat(Sql.failure(c, "INSERT INTO kit_net (cidr_block, region) VALUES ('10.2.0.0/16', 'xx-nowhere-1')")
          .getMessage()).as("a region the cloud lacks").contains("FK_kit_net_region");
      assertThat(Sql.failure(c, "INSERT INTO kit_host (name) VALUES ('Not A Name')").getMessage())
          .as("AWS's name rule").contains("kit_host_name_check");
      assertThat(Sql.failure(c, "INSERT INTO kit_host (name, address) VALUES ('h', '10.0.0.0/33')").getSQLState())
          .isEqualTo("22P02");
      assertThat(Sql.failure(c, "INSERT INTO kit_host (name, policy) VALUES ('h', '{not json')").getSQLState())
          .isEqualTo("22P02");
      Sql.exec(c, "INSERT INTO kit_host (name) VALUES ('h')");
      assertThat(Sql.failure(c, "INSERT INTO kit_host (name) VALUES ('h')").getMessage())
          .as("IaSQL's constraint name").contains("UQ_kit_host_name");
      assertThat(Sql.failure(c, "INSERT INTO kit_host (name, net_id) VALUES ('h2', 4242)").getMessage())
          .contains("FK_kit_host_net");
      assertThat(Sql.value(c, "SELECT port FROM kit_host WHERE name = 'h'")).isEqualTo(80);
    }
  }

  @Test
  void readsAndWritesResolveReferencesByCloudId(TestDatabase db) throws Exception {
    createTables(db);
    Mapper<Row> nets = NET.mapper(NO_CLOUD);
    Mapper<Row> hosts = HOST.mapper(NO_CLOUD);
    try (Connection c = db.tenant()) {
      Sql.exec(c, "INSERT INTO kit_net (cidr_block) VALUES ('10.0.0.0/16')");
      Sql.exec(c, "INSERT INTO kit_host (name, net_id, tags) SELECT 'web', id, '{\"b\": \"2\", \"a\": \"1\"}'"
          + " FROM kit_net");
    }
    try (Connection c = db.admin()) {
      Row host = hosts.readDb(c).get(0);
      assertThat(host.get("net_id")).as("the net has no cloud id yet").isNull();
      assertThat(host.awaiting()).as("so create waits for it").startsWith("kit_net row ");
      assertThat(host.get("tags")).isEqualTo(Map.of("a", "1", "b", "2"));

      Row net = nets.readDb(c).get(0);
      nets.updateDb(c, net, Row.in("us-east-1").with("cidr_block", "10.0.0.0/16").with("net_id", "net-1")
          .with("state", "available"));
      host = hosts.readDb(c).get(0);
      assertThat(host.get("net_id")).as("read as the cloud id").isEqualTo("net-1");
      assertThat(host.awaiting()).isNull();

      Instant created = Instant.parse("2026-01-02T03:04:05.678Z");
      Integer id = hosts.insertDb(c, Row.in("us-east-1").with("name", "imported").with("net_id", "net-1")
          .with("address", "10.0.0.5").with("policy", "{\"a\": [1]}").with("created", created)
          .with("host_arn", "arn:host/imported").with("port", 443));
      assertThat(Sql.value(c, "SELECT n.cidr_block::text FROM kit_host h JOIN kit_net n ON n.id = h.net_id"
          + " WHERE h.id = ?", id)).as("written back as the row id").isEqualTo("10.0.0.0/16");
      Row imported = hosts.readDb(c).stream().filter(r -> id.equals(r.id())).findFirst().orElseThrow();
      assertThat(imported.values()).containsEntry("address", "10.0.0.5").containsEntry("created", created)
          .containsEntry("port", 443).containsEntry("host_arn", "arn:host/imported");
      assertThat(hosts.compare(imported, Row.in("us-east-1").with("name", "imported").with("net_id", "net-1")
          .with("address", "10.0.0.5").with("policy", "{\"a\": 1}").with("created", created)
          .with("host_arn", "arn:host/imported").with("port", 443)))
          .as("read back equal to what was written").hasToString("NONE");

      hosts.updateDb(c, imported, imported.with("address", "10.0.0.6").with("net_id", null));
      assertThat(Sql.value(c, "SELECT address::text || coalesce(net_id::text, ' no net') FROM kit_host WHERE id = ?",
          id)).isEqualTo("10.0.0.6/32 no net");
      hosts.deleteDb(c, imported);
      assertThat(Sql.value(c, "SELECT count(*) FROM kit_host WHERE id = ?", id)).isEqualTo(0L);
    }
  }
}
