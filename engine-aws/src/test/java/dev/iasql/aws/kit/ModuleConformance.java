package dev.iasql.aws.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.iasql.engine.kit.Column;
import dev.iasql.engine.kit.Role;
import dev.iasql.engine.kit.TableSpec;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.LogLines;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The conformance suite every kit module extends, as Trino's {@code BaseConnectorTest}: a module supplies sample rows,
 * its changes and a few calls straight to the cloud; the suite runs the user's loop as the tenant, against moto, and
 * checks what every table must do. Names are unique per test, so resources other tests left in the shared moto
 * account only ever show up as rows of their own. A table without a name column says how its sample's name is found
 * ({@link #whereName}, {@link #describedAs}): a VPC by its {@code Name} tag.
 */
@ExtendWith(IasqlExtension.class)
public abstract class ModuleConformance {
  protected static final String REGION = "us-east-1";
  protected static final String OTHER_REGION = "eu-west-1";

  // ---- what a module supplies ----

  /** The module to install. */
  protected abstract String module();

  /** The table under test. */
  protected abstract TableSpec spec();

  /** A new row's user columns, named {@code name} as {@link #whereName} finds it, as bound values. */
  protected abstract Map<String, Object> sample(String name);

  /**
   * The sample for a region, where its values differ by region (a subnet's zone, the row of its VPC there); by default
   * {@link #sample(String)}, which is the sample of {@link #REGION}.
   */
  protected Map<String, Object> sample(String name, String region) {
    return sample(name);
  }

  /**
   * How the rows of a sample's name are found: a condition on the table with one parameter, bound to the name. By
   * default the {@link TableSpec#describedBy} column holds the name.
   */
  protected String whereName() {
    return quote(spec().describedBy()) + " = ?";
  }

  /**
   * How previews name the resources of a sample's name in the cloud of a region, besides the rows of that name: by
   * default the name itself; a table described by its cloud id gives the ids of that name's resources.
   */
  protected Set<String> describedAs(Moto.Keys keys, String region, String name) {
    return Set.of(name);
  }

  /**
   * User columns of the row named {@code name} changed in place, and their new values; empty for a table whose every
   * change replaces (the suite then checks the table declares none that changes in place).
   */
  protected abstract Map<String, Object> inPlaceChange(String name);

  /**
   * Whether the table changes nothing in place (its resources are no {@code Resources.InPlace}), so that a change of
   * any user column replaces: then it has no {@link #inPlaceChange}, without declaring each column replaced on change.
   */
  protected boolean replacesOnEveryChange() {
    return false;
  }

  /** How a preview shows a new value of a column (a tags column's JSON shows as a map). */
  protected String shown(String column, Object value) {
    return String.valueOf(value);
  }

  /** User columns whose change replaces the resource, with new values, for the row named {@code name}. */
  protected abstract Map<String, Object> replacingChange(String name);

  /** The reason the preview gives for {@link #replacingChange}. */
  protected abstract String replaceReason();

  /** The names of this table's resources in a region, read straight from the cloud. */
  protected abstract Set<String> cloudNames(Moto.Keys keys, String region);

  /** Creates a resource straight in the cloud, as someone outside the engine would. */
  protected abstract void createOutOfBand(Moto.Keys keys, String region, String name);

  /**
   * What a create whose write-back was lost left behind for the row {@code rowId} of {@code database}: by default the
   * resource made outside ({@link #createOutOfBand}), which a unique name adopts; a table that survives a crash by a
   * row tag makes it tagged for that row ({@code dev.iasql.aws.RowTag}).
   */
  protected void createLost(Moto.Keys keys, String region, String name, String database, int rowId) {
    createOutOfBand(keys, region, name);
  }

  /** Deletes a resource straight in the cloud. */
  protected abstract void deleteOutOfBand(Moto.Keys keys, String region, String name);

  // ---- the suite ----

  private Connection tenant;
  private Moto.Keys keys;
  private String name;

  @BeforeEach
  void install(TestDatabase db) throws SQLException {
    keys = Moto.start().account();
    tenant = db.tenant();
    rows("SELECT * FROM iasql_install('aws_account')");
    exec("INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)", keys.accessKeyId(),
        keys.secretAccessKey());
    rows("SELECT * FROM iasql_install(?)", module());
    name = "conf-" + UUID.randomUUID();
  }

  @AfterEach
  void close() throws SQLException {
    tenant.close();
  }

  @Test
  void createsReadsBackEqualAndSettles() throws SQLException {
    insert(sample(name, REGION), REGION);
    Map<String, Object> before = row(name);
    assertThat(mine(rows("SELECT * FROM iasql_preview_apply()")))
        .extracting(r -> r.get("action"), r -> r.get("table_name")).containsExactly(tuple("create", table()));
    assertThat(cloudNames(keys, REGION)).as("a preview changes nothing in the cloud").doesNotContain(name);
    assertThat(row(name)).as("nor in the database").isEqualTo(before);

    List<String> notices = new ArrayList<>();
    List<String> serverLog = new ArrayList<>();
    List<Map<String, Object>> applied = logged(serverLog, () -> noticed(notices, "SELECT * FROM iasql_apply()"));
    assertThat(mine(applied)).extracting(r -> r.get("action")).containsExactly("create");
    assertThat(notices).as("apply reports its progress as NOTICEs").isNotEmpty();
    assertThat(serverLog).as("the engine logged the apply").isNotEmpty();
    for (String secret : secrets()) {
      assertThat(notices).as("a write-only value in a NOTICE").noneMatch(n -> n.contains(secret));
      assertThat(serverLog).as("a write-only value in the server log").noneMatch(l -> l.contains(secret));
    }
    assertThat(cloudNames(keys, REGION)).contains(name);
    Map<String, Object> created = row(name);
    assertThat(created.get(spec().cloudId())).as("the cloud id is written back").isNotNull();
    sample(name).forEach((column, value) -> {
      if (spec().secretColumns().contains(column)) {
        assertThat(created.get(column)).as("a write-only " + column + " is NULL after apply").isNull();
      } else {
        assertThat(String.valueOf(created.get(column))).as(column + " read back").isEqualTo(String.valueOf(value));
      }
    });
    assertThat(rows("SELECT * FROM iasql_preview_apply()")).as("apply settled").isEmpty();
    assertThat(rows("SELECT * FROM iasql_preview_sync()")).as("and sync agrees").isEmpty();
    assertNoSecretAnywhere();
  }

  @Test
  void aCloudAssignedFieldEditedIsPutBackWithoutACloudCall() throws SQLException {
    applied();
    Map<String, Object> good = row(name);
    for (Column c : spec().columns()) {
      if (c.role() == Role.CLOUD_ASSIGNED && c.nullable()) {
        exec("UPDATE " + quote(table()) + " SET " + quote(c.name()) + " = NULL WHERE " + whereName(), name);
      }
    }
    assertThat(rows("SELECT * FROM iasql_preview_apply()")).as("no cloud change").isEmpty();
    rows("SELECT * FROM iasql_apply()");
    assertThat(row(name)).as("put back as the cloud has it").isEqualTo(good);
  }

  @Test
  void updatesInPlace() throws SQLException {
    applied();
    Map<String, Object> change = inPlaceChange(name);
    if (change.isEmpty()) {
      if (!replacesOnEveryChange()) {
        assertThat(spec().columns().stream().filter(c -> c.role() == Role.USER && c.replaceReason() == null))
            .as("a table without an in-place change replaces on every user column").isEmpty();
      }
      return;
    }
    Object cloudIdBefore = row(name).get(spec().cloudId());
    set(change);
    List<Map<String, Object>> preview = mine(rows("SELECT * FROM iasql_preview_apply()"));
    assertThat(preview).extracting(r -> r.get("action")).containsExactly("update");
    String description = (String) preview.get(0).get("description");
    change.forEach((column, value) -> {
      if (spec().secretColumns().contains(column)) {
        assertThat(description).as("a write-only field is named, never shown").contains(column + " (secret)")
            .doesNotContain(String.valueOf(value));
      } else {
        assertThat(description).as("the preview names the field, old → new").contains(column + " ")
            .contains(" → " + shown(column, value));
      }
    });
    rows("SELECT * FROM iasql_apply()");
    assertThat(row(name).get(spec().cloudId())).as("the same resource").isEqualTo(cloudIdBefore);
    assertThat(rows("SELECT * FROM iasql_preview_apply()")).isEmpty();
    assertThat(rows("SELECT * FROM iasql_preview_sync()")).as("the cloud has the new values").isEmpty();
  }

  @Test
  void replacesWithTheReasonInThePreview() throws SQLException {
    applied();
    Map<String, Object> change = replacingChange(name);
    String newName = (String) change.getOrDefault(spec().describedBy(), name);
    set(change);
    List<Map<String, Object>> preview = newName.equals(name) ? mine(rows("SELECT * FROM iasql_preview_apply()"))
        : rows("SELECT * FROM iasql_preview_apply()").stream()
            .filter(r -> ((String) r.get("description")).contains(newName)).toList();
    assertThat(preview).extracting(r -> r.get("action")).containsExactly("replace");
    assertThat((String) preview.get(0).get("description")).contains(replaceReason());
    rows("SELECT * FROM iasql_apply()");
    assertThat(cloudNames(keys, REGION)).contains(newName);
    if (!newName.equals(name)) {
      assertThat(cloudNames(keys, REGION)).as("the old resource is gone").doesNotContain(name);
    }
    assertThat(rows("SELECT * FROM iasql_preview_apply()")).isEmpty();
  }

  @Test
  void anUnappliedInsertIsUndoneBySync() throws SQLException {
    insert(sample(name, REGION), REGION);
    assertThat(mine(rows("SELECT * FROM iasql_preview_sync()"))).extracting(r -> r.get("action"))
        .containsExactly("delete");
    rows("SELECT * FROM iasql_sync()");
    assertThat(count(name)).isZero();
    assertThat(cloudNames(keys, REGION)).doesNotContain(name);
  }

  @Test
  void outOfBandCreateIsImportedAndDeleteIsRecreated() throws SQLException {
    createOutOfBand(keys, REGION, name);
    assertThat(mine(rows("SELECT * FROM iasql_preview_sync()"))).extracting(r -> r.get("action"))
        .containsExactly("create");
    rows("SELECT * FROM iasql_sync()");
    assertThat(count(name)).as("imported").isEqualTo(1);
    assertThat(rows("SELECT * FROM iasql_preview_apply()")).isEmpty();

    deleteOutOfBand(keys, REGION, name);
    assertThat(mine(rows("SELECT * FROM iasql_preview_apply()"))).extracting(r -> r.get("action"))
        .containsExactly("create");
    rows("SELECT * FROM iasql_apply()");
    assertThat(cloudNames(keys, REGION)).as("recreated by apply").contains(name);

    // Created again outside while the database does not have it: apply removes it.
    exec("DELETE FROM " + quote(table()) + " WHERE " + whereName(), name);
    rows("SELECT * FROM iasql_apply()");
    createOutOfBand(keys, REGION, name);
    assertThat(mine(rows("SELECT * FROM iasql_preview_apply()"))).extracting(r -> r.get("action"))
        .containsExactly("delete");
    rows("SELECT * FROM iasql_apply()");
    assertThat(cloudNames(keys, REGION)).doesNotContain(name);
  }

  /**
   * A create whose write-back never happened (the engine stopped in between) leaves a resource and a row without its
   * cloud id: neither apply nor sync may make a second resource or drop the row.
   */
  @Test
  void aCreateWhoseWriteBackWasLostIsAdopted() throws SQLException {
    insert(sample(name, REGION), REGION);
    createLost(keys, REGION, name, (String) Sql.value(tenant, "SELECT current_database()"),
        Integer.parseInt(row(name).get("id").toString()));
    assertThat(mine(rows("SELECT * FROM iasql_preview_apply()"))).extracting(r -> r.get("action"))
        .as("no second create, no delete").doesNotContain("create", "delete");
    assertThat(mine(rows("SELECT * FROM iasql_preview_sync()"))).extracting(r -> r.get("action"))
        .as("sync adopts too").doesNotContain("create", "delete");
    rows("SELECT * FROM iasql_apply()");
    assertThat(row(name).get(spec().cloudId())).isNotNull();
    assertThat(count(name)).isEqualTo(1);
    assertThat(rows("SELECT * FROM iasql_preview_apply()")).isEmpty();
  }

  @Test
  void uninstallAndInstallReloadFromTheCloudAndDropUnappliedRows() throws SQLException {
    applied();
    String unapplied = name + "-x";
    insert(sample(unapplied, REGION), REGION);
    rows("SELECT * FROM iasql_uninstall(?)", module());
    rows("SELECT * FROM iasql_install(?)", module());
    assertThat(count(name)).as("reloaded from the cloud").isEqualTo(1);
    assertThat(count(unapplied)).as("never applied: gone").isZero();
  }

  @Test
  void deletesAndTheSameNameLivesInTwoRegions() throws SQLException {
    exec("UPDATE aws_regions SET is_enabled = true WHERE region = ?", OTHER_REGION);
    rows("SELECT * FROM iasql_sync()");
    insert(sample(name, REGION), REGION);
    insert(sample(name, OTHER_REGION), OTHER_REGION);
    rows("SELECT * FROM iasql_apply()");
    assertThat(cloudNames(keys, REGION)).contains(name);
    assertThat(cloudNames(keys, OTHER_REGION)).contains(name);
    assertThat(rows("SELECT * FROM iasql_preview_apply()")).isEmpty();

    exec("DELETE FROM " + quote(table()) + " WHERE " + whereName() + " AND region = ?", name, OTHER_REGION);
    assertThat(mine(rows("SELECT * FROM iasql_preview_apply()")))
        .extracting(r -> r.get("action"), r -> r.get("table_name")).containsExactly(tuple("delete", table()));
    rows("SELECT * FROM iasql_apply()");
    assertThat(cloudNames(keys, OTHER_REGION)).doesNotContain(name);
    assertThat(cloudNames(keys, REGION)).as("the other region's is kept").contains(name);
  }

  // ---- helpers ----

  /** The tenant's connection to this test's database, with the module installed. */
  protected Connection tenant() {
    return tenant;
  }

  /** The sample row, applied. */
  protected void applied() throws SQLException {
    insert(sample(name, REGION), REGION);
    rows("SELECT * FROM iasql_apply()");
    assertThat(cloudNames(keys, REGION)).contains(name);
  }

  /** The sample's write-only values. */
  private List<String> secrets() {
    List<String> secrets = new ArrayList<>();
    sample(name).forEach((column, value) -> {
      if (spec().secretColumns().contains(column)) {
        secrets.add(String.valueOf(value));
      }
    });
    return secrets;
  }

  /** Runs a query as the tenant, collecting the NOTICEs it raised. */
  private List<Map<String, Object>> noticed(List<String> notices, String sql) throws SQLException {
    try (java.sql.Statement st = tenant.createStatement()) {
      st.execute(sql);
      List<Map<String, Object>> out = new ArrayList<>();
      try (java.sql.ResultSet rs = st.getResultSet()) {
        while (rs.next()) {
          Map<String, Object> r = new LinkedHashMap<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            r.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
          }
          out.add(r);
        }
      }
      for (java.sql.SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
        notices.add(w.getMessage());
      }
      return out;
    }
  }

  @FunctionalInterface
  private interface SqlCall<T> {
    T run() throws SQLException;
  }

  /** Runs a call with the engine's log at DEBUG, collecting every line it logged (message, context, stack traces). */
  private static <T> T logged(List<String> lines, SqlCall<T> call) throws SQLException {
    try (LogLines log = LogLines.debugOf("dev.iasql")) {
      try {
        return call.run();
      } finally {
        log.lines().forEach(l -> lines.add(l.toString()));
      }
    }
  }

  private void assertNoSecretAnywhere() throws SQLException {
    List<String> secrets = secrets();
    String logs = rows("SELECT params::text, output::text, err::text FROM iasql_operation").toString()
        + rows("SELECT change::text FROM iasql_audit_log").toString();
    for (String s : secrets) {
      assertThat(logs).as("a write-only value in the operation or audit log").doesNotContain(s);
    }
  }

  private String table() {
    return spec().table();
  }

  /**
   * The changes of this test's resources: those whose description names it, the rows of its name as the kit describes
   * them ({@link TableSpec#describedBy}'s value, or {@code <table> row <id>} before they have one), or its resources in
   * the cloud ({@link #describedAs}).
   */
  private List<Map<String, Object>> mine(List<Map<String, Object>> changes) throws SQLException {
    Set<String> names = new java.util.HashSet<>(Set.of(name));
    for (Map<String, Object> r : rows("SELECT * FROM " + quote(table()) + " WHERE " + whereName(), name)) {
      Object described = r.get(spec().describedBy());
      if (described != null) {
        names.add(described.toString());
      }
      names.add(table() + " row " + r.get("id")); // as a row without a cloud id, until apply gave it one
    }
    for (String region : List.of(REGION, OTHER_REGION)) {
      names.addAll(describedAs(keys, region, name));
    }
    return changes.stream().filter(r -> names.stream().anyMatch(n -> named(String.valueOf(r.get("description")), n)))
        .toList();
  }

  /** Whether a description is of what {@code n} names: a row id is the whole name, not the start of another. */
  private static boolean named(String description, String n) {
    return n.contains(" row ") ? description.equals(n) || description.startsWith(n + ":") : description.contains(n);
  }

  private void insert(Map<String, Object> values, String region) throws SQLException {
    Map<String, Object> all = new LinkedHashMap<>(values);
    all.put(TableSpec.REGION, region);
    String columns = all.keySet().stream().map(ModuleConformance::quote).collect(Collectors.joining(", "));
    String params = all.keySet().stream().map(c -> "CAST(? AS " + type(c) + ")").collect(Collectors.joining(", "));
    exec("INSERT INTO " + quote(table()) + " (" + columns + ") VALUES (" + params + ")", all.values().toArray());
  }

  private void set(Map<String, Object> change) throws SQLException {
    String sets = change.keySet().stream().map(c -> quote(c) + " = CAST(? AS " + type(c) + ")")
        .collect(Collectors.joining(", "));
    List<Object> args = new ArrayList<>(change.values());
    args.add(name);
    exec("UPDATE " + quote(table()) + " SET " + sets + " WHERE " + whereName(), args.toArray());
  }

  private String type(String column) {
    if (spec().references().stream().anyMatch(r -> r.column().equals(column))) {
      return "integer"; // the other row's id
    }
    return spec().columns().stream().filter(c -> c.name().equals(column)).findFirst()
        .map(c -> c.type().sql()).orElse("character varying");
  }

  private Map<String, Object> row(String named) throws SQLException {
    List<Map<String, Object>> found = rows("SELECT * FROM " + quote(table()) + " WHERE " + whereName()
        + " AND region = ?", named, REGION);
    assertThat(found).as("the row of " + named).hasSize(1);
    Map<String, Object> r = new LinkedHashMap<>(found.get(0));
    r.replaceAll((k, v) -> v == null ? null : v.toString());
    return r;
  }

  private long count(String named) throws SQLException {
    return (Long) Sql.value(tenant, "SELECT count(*) FROM " + quote(table()) + " WHERE " + whereName(), named);
  }

  protected static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private List<Map<String, Object>> rows(String sql, Object... args) throws SQLException {
    return Sql.rows(tenant, sql, args);
  }

  private void exec(String sql, Object... args) throws SQLException {
    Sql.exec(tenant, sql, args);
  }
}
