package dev.iasql.engine.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.iasql.engine.Cancellation;
import dev.iasql.engine.Change;
import dev.iasql.engine.TestPostgres;
import dev.iasql.engine.cloud.Reconciler.Mode;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.kit.Column;
import dev.iasql.engine.kit.ColumnType;
import dev.iasql.engine.kit.CrashSafety;
import dev.iasql.engine.kit.Reference;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.kit.TableSpec;
import dev.iasql.engine.spi.CloudException;
import dev.iasql.engine.spi.EngineExtension;
import dev.iasql.engine.spi.Extensions;
import dev.iasql.engine.spi.RowClaim;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
 * The planner on its own: {@link Reconciler}, {@link Table} and {@link Levels} against {@link MemoryCloud}, with the DB
 * side real (embedded PostgreSQL, the kit's tables; users edit rows as the tenant). Two tables: {@code child} refers
 * to {@code parent}; a parent's {@code size} cannot change in place, its {@code note} can, its {@code state} only the
 * cloud sets. A parent survives a crash by the row's tag on the resource, a child by its unique name.
 */
class PlannerTest {
  static final TableSpec PARENT = TableSpec.global("parent")
      .column(Column.text("name").notNull())
      .column(Column.of("size", ColumnType.INTEGER).replacedOnChange())
      .column(Column.text("note"))
      .column(Column.text("state").cloudAssigned())
      .column(Column.text("parent_id").cloudAssigned())
      .cloudId("parent_id", true)
      .describedBy("name")
      .unique("uq_parent_name", "name")
      .survivesCrashBy(CrashSafety.rowTag())
      .build();
  static final TableSpec CHILD = TableSpec.global("child")
      .column(Column.text("name").notNull())
      .column(Column.text("child_id").cloudAssigned())
      .reference(Reference.to("parent", "parent", "parent_id").notNull())
      .cloudId("child_id", true)
      .describedBy("name")
      .unique("uq_child_name", "name")
      .survivesCrashBy(CrashSafety.uniqueName("name"))
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
      s.execute(PARENT.ddl());
      s.execute(CHILD.ddl());
      s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + TestPostgres.TENANT);
      s.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO " + TestPostgres.TENANT);
    }
    // Children first: the planner orders the tables itself.
    reconciler = new Reconciler(db, cloud, List.of(CHILD.mapper(cloud.table(CHILD, false)),
        PARENT.mapper(cloud.table(PARENT, true))), NO_EXTENSIONS,
        threads);
  }

  @AfterEach
  void dropDatabases() throws SQLException {
    threads.close();
    TestPostgres.dropDatabases();
  }

  // ---- order ----

  @Test
  void createsTheParentFirstAndTheChildWaitsARoundForItsId() throws SQLException {
    int parent = insertParent("p", 1);
    int child = insertChild("c", parent);

    List<Change> changes = apply();

    assertThat(changes).containsExactly(new Change("create", "parent", parent, "p"),
        new Change("create", "child", child, "c"));
    assertThat(cloud.calls()).containsExactly("create parent p", "create child c");
    assertThat(progress).as("round 1 creates the parent; the child, waiting for its id, goes in round 2")
        .contains("round 1: 2 cloud changes to make", "round 2: 1 cloud change to make")
        .noneMatch(line -> line.startsWith("round 3") || line.startsWith("will try again"))
        .last().isEqualTo("done: 1 create child, 1 create parent");
    String parentId = cloud.resources(PARENT).get(0).text("parent_id");
    assertThat(cloud.resources(CHILD)).singleElement().satisfies(r -> assertThat(r.get("parent")).isEqualTo(parentId));
    assertThat(tenantRows("SELECT p.parent_id, c.child_id FROM child c JOIN parent p ON p.id = c.parent"))
        .containsExactly(List.of(parentId, cloud.resources(CHILD).get(0).text("child_id")));
  }

  @Test
  void deletesTheChildBeforeItsParentInOneRound() throws SQLException {
    insertChild("c", insertParent("p", 1));
    apply();
    cloud.forgetCalls();
    progress.clear();
    tenant("DELETE FROM child");
    tenant("DELETE FROM parent");

    List<Change> changes = apply();

    assertThat(cloud.calls()).as("no DependencyViolation: the parent goes once nothing refers to it")
        .containsExactly("delete child c", "delete parent p");
    assertThat(changes).containsExactly(new Change("delete", "child", null, "c"),
        new Change("delete", "parent", null, "p"));
    assertThat(progress).contains("round 1: 2 cloud changes to make").noneMatch(l -> l.startsWith("round 2"));
    assertThat(cloud.resources(PARENT)).isEmpty();
  }

  @Test
  void syncDeletesChildRowsBeforeTheirParentRows() throws SQLException {
    insertChild("c", insertParent("p", 1));
    apply();
    cloud.deleteOutOfBand(CHILD, cloud.resources(CHILD).get(0).text("child_id"));
    cloud.deleteOutOfBand(PARENT, cloud.resources(PARENT).get(0).text("parent_id"));

    List<Change> preview = sync(Mode.PREVIEW);
    List<Change> changes = sync(Mode.RUN);

    assertThat(changes).as("the foreign key refuses any other order").containsExactly(
        new Change("delete", "child", 1, "c"), new Change("delete", "parent", 1, "p"));
    assertThat(preview).containsExactlyInAnyOrderElementsOf(changes);
    assertThat(tenantRows("SELECT count(*) FROM parent")).containsExactly(List.of(0L));
  }

  @Test
  void syncImportsParentsBeforeTheChildrenThatReferToThem() throws SQLException {
    String parentId = cloud.outOfBand(PARENT, Row.in(null).with("name", "p").with("size", 3));
    cloud.outOfBand(CHILD, Row.in(null).with("name", "c").with("parent", parentId));

    List<Change> changes = sync(Mode.RUN);

    assertThat(changes).containsExactly(new Change("create", "parent", 1, "p"), new Change("create", "child", 1, "c"));
    assertThat(tenantRows("SELECT p.name, p.size, c.name FROM child c JOIN parent p ON p.id = c.parent"))
        .containsExactly(List.of("p", 3, "c"));
    assertThat(cloud.calls()).as("sync never changes the cloud").isEmpty();
  }

  // ---- replace and update ----

  @Test
  void aChangeTheCloudCannotMakeInPlaceDeletesThenCreatesAndSaysWhy() throws SQLException {
    int parent = insertParent("p", 1);
    apply();
    String before = cloud.resources(PARENT).get(0).text("parent_id");
    cloud.forgetCalls();
    tenant("UPDATE parent SET size = 2");

    Change replace = new Change("replace", "parent", parent, "p: size 1 → 2 (size cannot change in place)");
    assertThat(preview()).containsExactly(replace);
    assertThat(apply()).containsExactly(replace);

    assertThat(cloud.calls()).containsExactly("delete parent p", "create parent p");
    assertThat(progress).as("the replace writes the new id back itself; nothing is left to adopt")
        .noneMatch(l -> l.contains("adopted"));
    String after = cloud.resources(PARENT).get(0).text("parent_id");
    assertThat(after).isNotEqualTo(before);
    assertThat(tenantRows("SELECT parent_id, size FROM parent")).containsExactly(List.of(after, 2));
  }

  @Test
  void replacingAParentReplacesTheChildrenThatReferToItInOrderAndSaysSo() throws SQLException {
    int parent = insertParent("p", 1);
    int child = insertChild("c", parent);
    apply();
    String oldChild = cloud.resources(CHILD).get(0).text("child_id");
    cloud.forgetCalls();
    progress.clear();
    tenant("UPDATE parent SET size = 2");
    int fresh = insertChild("fresh", parent);

    Change replaceParent = new Change("replace", "parent", parent, "p: size 1 → 2 (size cannot change in place)");
    Change replaceChild = new Change("replace", "child", child, "c (parent p is replaced)");
    Change createFresh = new Change("create", "child", fresh, "fresh");
    assertThat(preview()).as("the children's replacement is planned and shown, not left to fail")
        .containsExactlyInAnyOrder(replaceParent, replaceChild, createFresh);
    assertThat(apply()).containsExactlyInAnyOrder(replaceParent, replaceChild, createFresh);

    assertThat(cloud.calls()).as("the child goes before its parent, and comes back after the new one").hasSize(5)
        .startsWith("delete child c", "delete parent p", "create parent p")
        .containsOnlyOnce("create child c", "create child fresh");
    assertThat(progress).as("one round").noneMatch(l -> l.startsWith("will try again") || l.startsWith("round 2"));
    String newParent = cloud.resources(PARENT).get(0).text("parent_id");
    assertThat(cloud.resources(CHILD)).hasSize(2).allSatisfy(r -> assertThat(r.get("parent")).isEqualTo(newParent))
        .noneSatisfy(r -> assertThat(r.text("child_id")).isEqualTo(oldChild));
    assertThat(preview()).as("converged").isEmpty();
  }

  @Test
  void aChangeTheCloudCanMakeInPlaceKeepsTheResource() throws SQLException {
    int parent = insertParent("p", 1);
    apply();
    String id = cloud.resources(PARENT).get(0).text("parent_id");
    cloud.forgetCalls();
    tenant("UPDATE parent SET note = 'hello'");

    assertThat(apply()).containsExactly(new Change("update", "parent", parent, "p: note NULL → hello"));

    assertThat(cloud.calls()).containsExactly("update parent p note");
    assertThat(cloud.resources(PARENT)).singleElement().satisfies(r -> {
      assertThat(r.text("parent_id")).isEqualTo(id);
      assertThat(r.get("note")).isEqualTo("hello");
    });
  }

  // ---- failures ----

  @Test
  void aRowTheCloudRefusesIsNamedWithItsErrorAndTheOthersAreKept() throws SQLException {
    insertParent("good", 1);
    int bad = insertParent("bad", 1);
    cloud.refuse("bad");

    assertThatExceptionOfType(EngineException.class).isThrownBy(this::apply).satisfies(e -> {
      assertThat(e.code()).isEqualTo(MemoryCode.NO_PROGRESS);
      assertThat(e.code().sqlState()).isEqualTo("IQ503");
      assertThat(e.getMessage()).isEqualTo("apply could not finish: 1 row(s) failed in parent");
      assertThat(e.detail()).hasValue("parent " + bad + " (bad): create: create parent bad failed:"
          + " InvalidParameterValue: the name bad is not allowed");
      assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("your rows are kept"));
    });
    String refused = "refused create parent bad: InvalidParameterValue";
    // Round 1 makes both calls at once, in either order; rounds 2 and 3 change nothing, and then apply stops.
    assertThat(cloud.calls().subList(0, 2)).containsExactlyInAnyOrder("create parent good", refused);
    assertThat(cloud.calls().subList(2, cloud.calls().size())).as("tried again until two rounds in a row changed"
        + " nothing").containsExactly(refused, refused);
    assertThat(progress).contains("will try again: parent " + bad + " (bad): create: create parent bad failed:"
        + " InvalidParameterValue: the name bad is not allowed");
    assertThat(tenantRows("SELECT name, parent_id IS NOT NULL FROM parent ORDER BY id"))
        .as("what the cloud did is recorded at the round's checkpoint")
        .containsExactly(List.of("good", true), List.of("bad", false));
  }

  @Test
  void aRowWaitingForAParentThatNeverComesIsNamedWithWhatItWaitsFor() throws SQLException {
    int parent = insertParent("bad", 1);
    int child = insertChild("c", parent);
    cloud.refuse("bad");

    assertThatExceptionOfType(EngineException.class).isThrownBy(this::apply).satisfies(e -> {
      assertThat(e.code()).isEqualTo(MemoryCode.NO_PROGRESS);
      assertThat(e.getMessage()).isEqualTo("apply could not finish: 2 row(s) failed in child, parent");
      assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d.lines()).containsExactly(
          "child " + child + " (c): create: waiting for parent row " + parent,
          "parent " + parent + " (bad): create: create parent bad failed: InvalidParameterValue: the name bad is"
              + " not allowed"));
    });
    assertThat(progress).as("a wait is not a failure worth a line of its own")
        .noneMatch(l -> l.startsWith("will try again: child"));
  }

  // ---- rounds ----

  @Test
  void aConvergedApplyStopsAndTheNextOneHasNothingToDo() throws SQLException {
    insertParent("p", 1);
    assertThat(apply()).hasSize(1);
    assertThat(progress).contains("round 1: 1 cloud change to make").noneMatch(l -> l.startsWith("round 2"));
    assertThat(cloud.reads()).as("each table read once: a round of creates is not read back").isEqualTo(2);
    assertThat(progress).anyMatch(l -> l.startsWith("read 2 tables in 1 region in "));
    cloud.forgetCalls();
    progress.clear();

    assertThat(apply()).isEmpty();

    assertThat(cloud.calls()).isEmpty();
    assertThat(progress).last().isEqualTo("the cloud already matches the database");
  }

  @Test
  void aCloudThatKeepsChangingStopsApplyAfterTheLastRoundWithIq507() throws SQLException {
    cloud.strayOnEveryRead("parent");

    assertThatExceptionOfType(EngineException.class).isThrownBy(this::apply).satisfies(e -> {
      assertThat(e.code()).isEqualTo(MemoryCode.KEPT_CHANGING);
      assertThat(e.code().sqlState()).isEqualTo("IQ507");
      assertThat(e.getMessage()).isEqualTo("apply did not settle after 20 rounds: each round found new differences"
          + " between the database and the cloud");
      assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d)
          .matches("the last round made 1 cloud change:\ndelete parent stray-\\d+"));
    });
    assertThat(cloud.calls()).hasSize(Reconciler.MAX_ROUNDS).allMatch(c -> c.startsWith("delete parent stray-"));
  }

  @Test
  void aDeleteTheCloudRefusesIsNamedWithoutARowId() throws SQLException {
    cloud.outOfBand(PARENT, Row.in(null).with("name", "kept"));
    cloud.refuse("kept");

    assertThatExceptionOfType(EngineException.class).isThrownBy(this::apply).satisfies(e -> {
      assertThat(e.code()).isEqualTo(MemoryCode.NO_PROGRESS);
      assertThat(e.detail()).hasValue("parent (kept): delete: delete parent kept failed: OperationNotPermitted: kept"
          + " is protected");
    });
  }

  @Test
  void aRowTheDatabaseRefusesStopsSyncAndSyncChangesNothing() throws SQLException {
    cloud.outOfBand(PARENT, Row.in(null).with("name", "twin"));
    cloud.outOfBand(PARENT, Row.in(null).with("name", "twin"));

    assertThatExceptionOfType(EngineException.class).isThrownBy(() -> sync(Mode.RUN)).satisfies(e -> {
      assertThat(e.code()).isEqualTo(MemoryCode.NO_PROGRESS);
      assertThat(e.getMessage()).isEqualTo("sync could not finish: 1 row(s) failed in parent");
      assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d)
          .startsWith("parent (twin): create: the database refused the row: ").contains("uq_parent_name"));
      assertThat(e.hint()).hasValue("nothing was changed");
    });
    assertThat(tenantRows("SELECT count(*) FROM parent")).containsExactly(List.of(0L));
  }

  @Test
  void aFailedReadStopsApplyWithTheCloudsOwnError() {
    cloud.failReads(new CloudException(CloudException.Kind.REQUEST, "Throttling", "ListParents failed: Throttling",
        null));

    assertThatExceptionOfType(EngineException.class).isThrownBy(this::apply).satisfies(e -> {
      assertThat(e.code().sqlState()).isEqualTo("IQ502");
      assertThat(e.getMessage()).isEqualTo("ListParents failed: Throttling");
    });
    assertThat(cloud.calls()).isEmpty();
  }

  @Test
  void anAccountWithoutCredentialsStopsApplyWithTheAccountsHint() {
    cloud.failOpen(new CloudException(CloudException.Kind.CREDENTIALS, CloudException.NO_CREDENTIALS,
        "no credentials", null));

    assertThatExceptionOfType(EngineException.class).isThrownBy(this::apply).satisfies(e -> {
      assertThat(e.code().sqlState()).isEqualTo("IQ501");
      assertThat(e.hint()).hasValue(cloud.credentialsHint());
    });
  }

  @Test
  void aCancelWhileTheCloudWorksStopsApplyAndKeepsWhatTheCloudDid() throws SQLException {
    insertChild("c", insertParent("p", 1));
    Cancellation cancellation = Cancellation.create();
    cloud.whenCreated("p", cancellation::cancel);

    assertThatExceptionOfType(EngineException.class).isThrownBy(() -> apply(cancellation))
        .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));

    assertThat(cloud.calls()).as("no round after the cancel").containsExactly("create parent p");
    assertThat(tenantRows("SELECT parent_id FROM parent")).as("the created parent is recorded")
        .containsExactly(List.of(cloud.resources(PARENT).get(0).text("parent_id")));
  }

  // ---- cloud-owned fields and crashes ----

  @Test
  void aFieldOnlyTheCloudSetsIsPutBackByApplyWithoutACloudCall() throws SQLException {
    insertParent("p", 1);
    apply();
    cloud.forgetCalls();
    tenant("UPDATE parent SET state = 'edited'");

    assertThat(preview()).as("no cloud change to preview").isEmpty();
    assertThat(apply()).isEmpty();

    assertThat(cloud.calls()).isEmpty();
    assertThat(tenantRows("SELECT state FROM parent")).containsExactly(List.of("available"));
  }

  @Test
  void syncCopiesWhatChangedInTheCloudNamingTheField() throws SQLException {
    int parent = insertParent("p", 1);
    apply();
    cloud.editOutOfBand(PARENT, cloud.resources(PARENT).get(0).text("parent_id"), "note", "from the console");

    assertThat(sync(Mode.RUN)).containsExactly(new Change("update", "parent", parent,
        "p: note NULL → from the console"));
    assertThat(tenantRows("SELECT note FROM parent")).containsExactly(List.of("from the console"));
  }

  @Test
  void applyAdoptsAResourceCreatedForARowBeforeACrashInsteadOfCreatingItAgain() throws SQLException {
    int parent = insertParent("p", 1);
    String id = cloud.createdForRowButNotRecorded(PARENT, Row.in(null).with("name", "p").with("size", 1),
        new RowClaim(db, parent));

    assertThat(apply()).isEmpty();

    assertThat(cloud.calls()).isEmpty();
    assertThat(progress).contains("p for parent row " + parent + ", created for it by an earlier apply that stopped"
        + " before recording it (adopted, not created again)");
    assertThat(tenantRows("SELECT parent_id FROM parent")).containsExactly(List.of(id));
  }

  @Test
  void syncAdoptsItTooInsteadOfDroppingTheRowAndImportingTheResource() throws SQLException {
    int parent = insertParent("p", 1);
    String id = cloud.createdForRowButNotRecorded(PARENT, Row.in(null).with("name", "p").with("size", 1),
        new RowClaim(db, parent));

    assertThat(sync(Mode.RUN)).containsExactly(new Change("update", "parent", parent, "p"));

    assertThat(tenantRows("SELECT id, parent_id FROM parent")).containsExactly(List.of(parent, id));
  }

  @Test
  void aCreateWhoseAnswerIsLostIsAdoptedInTheNextRoundNotMadeTwice() throws SQLException {
    int parent = insertParent("p", 1);
    cloud.whenCreated("p", () -> {
      throw new IllegalStateException("the connection dropped before the answer");
    });

    assertThat(apply()).as("the create's own change was lost with its answer").isEmpty();

    assertThat(cloud.calls()).containsExactly("create parent p");
    assertThat(progress).contains("will try again: parent " + parent + " (p): create: java.lang.IllegalStateException:"
        + " the connection dropped before the answer");
    assertThat(tenantRows("SELECT parent_id FROM parent"))
        .containsExactly(List.of(cloud.resources(PARENT).get(0).text("parent_id")));
  }

  @Test
  void writesRefusedForTheCredentialsEverywhereAreACredentialsError() throws SQLException {
    insertParent("p", 1);
    cloud.failWrites(new CloudException(CloudException.Kind.CREDENTIALS, "UnauthorizedOperation",
        "create parent p failed: UnauthorizedOperation", null));

    assertThatExceptionOfType(EngineException.class).isThrownBy(this::apply).satisfies(e -> {
      assertThat(e.code().sqlState()).isEqualTo("IQ501");
      assertThat(e.getMessage()).isEqualTo("create parent p failed: UnauthorizedOperation");
    });
  }

  @Test
  void aReadFailingOutsideTheCloudsOwnErrorsIsAnInternalError() {
    cloud.failReads(new IllegalStateException("a broken module"));

    assertThatExceptionOfType(EngineException.class).isThrownBy(this::apply).satisfies(e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
      assertThat(e.getMessage()).isEqualTo("reading parent from the cloud failed: java.lang.IllegalStateException: a"
          + " broken module");
    });
  }

  @Test
  void aResourceClaimedByARowOfAnotherDatabaseIsNeitherAdoptedNorKept() throws SQLException {
    int parent = insertParent("p", 1);
    cloud.createdForRowButNotRecorded(PARENT, Row.in(null).with("name", "p").with("size", 1),
        new RowClaim("another_database", parent));

    apply();

    assertThat(cloud.calls()).containsExactly("create parent p", "delete parent p");
  }

  @Test
  void aChildCreatedBeforeACrashIsAdoptedByItsUniqueName() throws SQLException {
    int parent = insertParent("p", 1);
    apply();
    int child = insertChild("c", parent);
    String parentId = cloud.resources(PARENT).get(0).text("parent_id");
    cloud.outOfBand(CHILD, Row.in(null).with("name", "other").with("parent", parentId));
    String id = cloud.outOfBand(CHILD, Row.in(null).with("name", "c").with("parent", parentId));
    cloud.forgetCalls();

    apply();

    assertThat(cloud.calls()).as("the one named c is the row's; the other goes").containsExactly("delete child other");
    assertThat(progress).contains("c for child row " + child + ", created for it by an earlier apply that stopped"
        + " before recording it (adopted, not created again)");
    assertThat(tenantRows("SELECT child_id FROM child")).containsExactly(List.of(id));
  }

  @Test
  void aSameNamedResourceClaimedByAnotherRowIsNotAdoptedByName() throws SQLException {
    int parent = insertParent("p", 1);
    apply();
    String parentId = cloud.resources(PARENT).get(0).text("parent_id");
    insertChild("c", parent);
    cloud.createdForRowButNotRecorded(CHILD, Row.in(null).with("name", "c").with("parent", parentId),
        new RowClaim("another_database", 1));
    cloud.forgetCalls();

    apply();

    assertThat(cloud.calls()).containsExactly("create child c", "delete child c");
  }

  @Test
  void aRowStillFailingAfterTheLastRoundIsNamedEvenThoughEveryRoundChangedSomething() throws SQLException {
    int bad = insertParent("bad", 1);
    cloud.refuse("bad");
    cloud.strayOnEveryRead("parent");

    assertThatExceptionOfType(EngineException.class).isThrownBy(this::apply).satisfies(e -> {
      assertThat(e.code()).isEqualTo(MemoryCode.NO_PROGRESS);
      assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d).startsWith("parent " + bad + " (bad): create: "));
    });
    assertThat(cloud.calls()).filteredOn(c -> c.startsWith("delete parent stray-")).hasSize(Reconciler.MAX_ROUNDS);
  }

  // ---- preview ----

  @Test
  void previewListsExactlyWhatApplyThenDoes() throws SQLException {
    int noted = insertParent("noted", 1);
    int resized = insertParent("resized", 1);
    insertParent("dropped", 1);
    apply();
    cloud.forgetCalls();
    int fresh = insertParent("fresh", 5);
    tenant("UPDATE parent SET note = 'n' WHERE name = 'noted'");
    tenant("UPDATE parent SET size = 2 WHERE name = 'resized'");
    tenant("DELETE FROM parent WHERE name = 'dropped'");
    List<List<Object>> rowsBefore = tenantRows("SELECT * FROM parent ORDER BY id");

    List<Change> preview = preview();

    assertThat(cloud.calls()).as("a preview calls nothing").isEmpty();
    assertThat(tenantRows("SELECT * FROM parent ORDER BY id")).as("and writes nothing").isEqualTo(rowsBefore);
    assertThat(preview).containsExactlyInAnyOrder(new Change("create", "parent", fresh, "fresh"),
        new Change("update", "parent", noted, "noted: note NULL → n"),
        new Change("replace", "parent", resized, "resized: size 1 → 2 (size cannot change in place)"),
        new Change("delete", "parent", null, "dropped"));
    assertThat(apply()).containsExactlyInAnyOrderElementsOf(preview);
  }

  // ---- helpers ----

  private List<Change> apply() throws SQLException {
    return apply(Cancellation.create());
  }

  private List<Change> apply(Cancellation cancellation) throws SQLException {
    try (Connection c = TestPostgres.admin(db)) {
      c.setAutoCommit(false);
      // As the engine's apply: every round's checkpoint commits what the cloud did.
      List<Change> changes = reconciler.apply(c, Mode.RUN, madeSoFar -> c.commit(), progress::add, cancellation);
      c.commit();
      return changes;
    }
  }

  private List<Change> preview() throws SQLException {
    try (Connection c = TestPostgres.admin(db)) {
      c.setAutoCommit(false);
      try {
        return reconciler.apply(c, Mode.PREVIEW, Reconciler.Checkpoint.NONE, progress::add, Cancellation.create());
      } finally {
        c.rollback();
      }
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

  private int insertParent(String name, int size) throws SQLException {
    return (Integer) tenantRows("INSERT INTO parent (name, size) VALUES (?, ?) RETURNING id", name, size).get(0)
        .get(0);
  }

  private int insertChild(String name, int parent) throws SQLException {
    return (Integer) tenantRows("INSERT INTO child (name, parent) VALUES (?, ?) RETURNING id", name, parent).get(0)
        .get(0);
  }

  private void tenant(String sql) throws SQLException {
    try (Connection c = TestPostgres.tenant(db); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private List<List<Object>> tenantRows(String sql, Object... params) throws SQLException {
    try (Connection c = TestPostgres.tenant(db); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
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
}
