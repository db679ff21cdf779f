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
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.EngineExtension;
import dev.iasql.engine.spi.Extensions;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.RowClaim;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Resources the cloud owns (a default VPC, say), through a mapper that is not the kit's: apply never deletes them and
 * puts their rows back, and a mapper that cannot name changed fields is described by its resource alone.
 */
class CloudOwnedTest {
  static final TableSpec NETWORK = TableSpec.global("network")
      .column(Column.text("name").notNull())
      .column(Column.text("network_id").cloudAssigned())
      .cloudId("network_id", true)
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
  private final List<String> progress = new ArrayList<>();
  private String db;
  private final CloudThreads threads = new CloudThreads();
  private Reconciler reconciler;

  @BeforeEach
  void createTables() throws SQLException {
    db = TestPostgres.createDatabase();
    try (Connection c = TestPostgres.admin(db); Statement s = c.createStatement()) {
      s.execute(NETWORK.ddl());
      s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + TestPostgres.TENANT);
      s.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO " + TestPostgres.TENANT);
    }
    reconciler = new Reconciler(db, cloud, List.of(new DefaultOwnedByCloud(NETWORK.mapper(cloud.table(NETWORK,
        false)))), NO_EXTENSIONS,
        threads);
  }

  @AfterEach
  void dropDatabases() throws SQLException {
    threads.close();
    TestPostgres.dropDatabases();
  }

  @Test
  void applyNeverDeletesTheCloudsOwnAndPutsItsRowBack() throws SQLException {
    String id = cloud.outOfBand(NETWORK, Row.in(null).with("name", "default"));

    assertThat(apply()).as("no cloud change").isEmpty();

    assertThat(cloud.calls()).isEmpty();
    assertThat(tenantRows("SELECT name, network_id FROM network")).containsExactly(List.of("default", id));
  }

  @Test
  void aRowNamingACloudOwnedResourceThatIsNotThereGoesAndTheCloudsOwnComesBack() throws SQLException {
    String id = cloud.outOfBand(NETWORK, Row.in(null).with("name", "default"));
    tenant("INSERT INTO network (name) VALUES ('default')");

    assertThat(apply()).isEmpty();

    assertThat(cloud.calls()).as("the cloud alone makes these").isEmpty();
    assertThat(tenantRows("SELECT name, network_id FROM network")).containsExactly(List.of("default", id));
  }

  @Test
  void aMapperThatCannotNameChangedFieldsIsDescribedByItsResource() throws SQLException {
    tenant("INSERT INTO network (name) VALUES ('app')");
    apply();
    cloud.editOutOfBand(NETWORK, cloud.resources(NETWORK).get(0).text("network_id"), "name", "renamed");

    assertThat(preview()).as("apply: the resource as the row has it")
        .containsExactly(new Change("replace", "network", 1, "renamed"));
    try (Connection c = TestPostgres.admin(db)) {
      assertThat(reconciler.sync(c, Mode.PREVIEW, progress::add, Cancellation.create()))
          .as("sync: the row as it is").containsExactly(new Change("update", "network", 1, "app"));
    }
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

  private List<Change> preview() throws SQLException {
    try (Connection c = TestPostgres.admin(db)) {
      c.setAutoCommit(false);
      return reconciler.apply(c, Mode.PREVIEW, Reconciler.Checkpoint.NONE, progress::add, Cancellation.create());
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

  /**
   * The kit's mapper with one difference, as a hand-written module's would have it: a resource named
   * {@code default} is the cloud's own. It has none of the kit's optional abilities (naming changed fields, unique
   * names).
   */
  private record DefaultOwnedByCloud(Mapper<Row> kit) implements Mapper<Row> {
    @Override
    public boolean ownedByCloud(Row cloud) {
      return "default".equals(cloud.get("name"));
    }

    @Override
    public String table() {
      return kit.table();
    }

    @Override
    public Set<String> dependsOn() {
      return kit.dependsOn();
    }

    @Override
    public Scope scope() {
      return kit.scope();
    }

    @Override
    public @Nullable String cloudKey(Row e) {
      return kit.cloudKey(e);
    }

    @Override
    public @Nullable String region(Row e) {
      return kit.region(e);
    }

    @Override
    public @Nullable Integer rowId(Row e) {
      return kit.rowId(e);
    }

    @Override
    public String describe(Row e) {
      return kit.describe(e);
    }

    @Override
    public Difference compare(Row db, Row cloud) {
      return kit.compare(db, cloud);
    }

    @Override
    public @Nullable RowClaim claim(Row cloud) {
      return kit.claim(cloud);
    }

    @Override
    public List<Row> readDb(Connection c) throws SQLException {
      return kit.readDb(c);
    }

    @Override
    public @Nullable Integer insertDb(Connection c, Row cloud) throws SQLException {
      return kit.insertDb(c, cloud);
    }

    @Override
    public void updateDb(Connection c, Row db, Row cloud) throws SQLException {
      kit.updateDb(c, db, cloud);
    }

    @Override
    public void deleteDb(Connection c, Row db) throws SQLException {
      kit.deleteDb(c, db);
    }

    @Override
    public List<Row> readCloud(CloudContext ctx, @Nullable String region) {
      return kit.readCloud(ctx, region);
    }

    @Override
    public Row create(CloudContext ctx, Row desired) {
      return kit.create(ctx, desired);
    }

    @Override
    public void delete(CloudContext ctx, Row actual) {
      kit.delete(ctx, actual);
    }
  }
}
