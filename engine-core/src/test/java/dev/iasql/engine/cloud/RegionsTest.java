package dev.iasql.engine.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.Cancellation;
import dev.iasql.engine.Change;
import dev.iasql.engine.TestPostgres;
import dev.iasql.engine.cloud.Reconciler.Mode;
import dev.iasql.engine.kit.Column;
import dev.iasql.engine.kit.CrashSafety;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.kit.TableSpec;
import dev.iasql.engine.spi.EngineExtension;
import dev.iasql.engine.spi.Extensions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The planner with an account that has a region table ({@link MemoryCloud#withRegionTable}): the account's tables
 * are reconciled first and from the cloud, and rows of regions that are not enabled are left alone, and said so.
 */
class RegionsTest {
  static final TableSpec BUCKET = TableSpec.regional("bucket")
      .column(Column.text("name").notNull())
      .column(Column.text("bucket_id").cloudAssigned())
      .cloudId("bucket_id", false)
      .describedBy("name")
      .survivesCrashBy(CrashSafety.rowTag())
      .build();
  private static final Extensions NO_EXTENSIONS = new Extensions() {
    @Override
    public <T extends EngineExtension> Optional<T> find(Class<T> type) {
      return Optional.empty();
    }
  };

  private final MemoryCloud cloud = new MemoryCloud();
  private final List<String> progress = new CopyOnWriteArrayList<>();
  private String db;
  private final CloudThreads threads = new CloudThreads();
  private Reconciler reconciler;

  @BeforeEach
  void createTables() throws SQLException {
    db = TestPostgres.createDatabase();
    try (Connection c = TestPostgres.admin(db); Statement s = c.createStatement()) {
      s.execute(MemoryCloud.REGIONS_DDL);
      s.execute(BUCKET.ddl());
      s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + TestPostgres.TENANT);
      s.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO " + TestPostgres.TENANT);
    }
    cloud.withRegionTable();
    reconciler = new Reconciler(db, cloud, List.of(BUCKET.mapper(cloud.table(BUCKET, false))), NO_EXTENSIONS,
        threads);
  }

  @AfterEach
  void dropDatabases() throws SQLException {
    threads.close();
    TestPostgres.dropDatabases();
  }

  @Test
  void syncLoadsTheRegionsFirstAndThenReadsTheRegionsTheyEnable() throws SQLException {
    cloud.outOfBand(BUCKET, Row.in(MemoryCloud.REGION).with("name", "here"));
    cloud.outOfBand(BUCKET, Row.in(MemoryCloud.OTHER_REGION).with("name", "there"));

    List<Change> changes = sync(Mode.RUN);

    assertThat(changes).containsExactly(new Change("create", "aws_regions", null, "mem-1"),
        new Change("create", "aws_regions", null, "mem-2"), new Change("create", "bucket", 1, "here"));
    assertThat(tenantRows("SELECT region, is_enabled FROM aws_regions ORDER BY region"))
        .containsExactly(List.of("mem-1", true), List.of("mem-2", false));
    assertThat(progress).last().isEqualTo("done: 2 create aws_regions, 1 create bucket");
  }

  @Test
  void syncOfTheAccountAloneLoadsOnlyTheRegions() throws SQLException {
    cloud.outOfBand(BUCKET, Row.in(MemoryCloud.REGION).with("name", "here"));

    try (Connection c = TestPostgres.admin(db)) {
      c.setAutoCommit(false);
      assertThat(reconciler.syncAccount(c, progress::add, Cancellation.create())).extracting(Change::tableName)
          .containsExactly("aws_regions", "aws_regions");
      c.commit();
    }
    assertThat(tenantRows("SELECT count(*) FROM bucket")).containsExactly(List.of(0L));
  }

  @Test
  void applyPutsTheRegionListBackAsTheCloudHasItBeforeAnything() throws SQLException {
    tenant("INSERT INTO aws_regions (region, is_enabled) VALUES ('mem-1', true), ('mem-9', true)");
    tenant("INSERT INTO bucket (name) VALUES ('b')");

    List<Change> changes = apply();

    assertThat(changes).as("region rows are DB changes, not cloud ones").extracting(Change::action, Change::tableName)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("create", "bucket"));
    assertThat(progress).contains("removed mem-9 in aws_regions, as the cloud has it",
        "restored mem-2 in aws_regions, as the cloud has it");
    assertThat(tenantRows("SELECT region, is_enabled FROM aws_regions ORDER BY region"))
        .as("the user's flag on a region the cloud has stays")
        .containsExactly(List.of("mem-1", true), List.of("mem-2", false));
  }

  @Test
  void rowsOfARegionThatIsNotEnabledAreLeftAloneAndSaidSo() throws SQLException {
    sync(Mode.RUN);
    tenant("INSERT INTO bucket (name, region) VALUES ('here', 'mem-1'), ('there', 'mem-2')");

    assertThat(apply()).extracting(Change::description).containsExactly("here");

    assertThat(cloud.calls()).containsExactly("create bucket here");
    assertThat(progress).contains("1 row of region mem-2 left alone (bucket: 1): the region is not enabled; to include"
        + " them: UPDATE aws_regions SET is_enabled = true WHERE region = 'mem-2'");
    cloud.forgetCalls();

    tenant("UPDATE aws_regions SET is_enabled = true WHERE region = 'mem-2'");
    assertThat(apply()).extracting(Change::description).containsExactly("there");
    assertThat(cloud.resources(BUCKET)).extracting(Row::region).containsExactly("mem-1", "mem-2");
  }

  private List<Change> apply() throws SQLException {
    try (Connection c = TestPostgres.admin(db)) {
      c.setAutoCommit(false);
      List<Change> changes = reconciler.apply(c, Mode.RUN, madeSoFar -> c.commit(), progress::add,
          Cancellation.create());
      c.commit();
      return changes;
    }
  }

  private List<Change> sync(Mode mode) throws SQLException {
    try (Connection c = TestPostgres.admin(db)) {
      c.setAutoCommit(false);
      List<Change> changes = reconciler.sync(c, mode, progress::add, Cancellation.create());
      c.commit();
      return changes;
    }
  }

  private void tenant(String sql) throws SQLException {
    try (Connection c = TestPostgres.tenant(db); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private List<List<Object>> tenantRows(String sql) throws SQLException {
    try (Connection c = TestPostgres.tenant(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }
}
