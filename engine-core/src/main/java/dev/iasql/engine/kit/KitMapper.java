package dev.iasql.engine.kit;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.DescribesChanges;
import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.RowClaim;
import dev.iasql.engine.spi.UniqueNames;
import dev.iasql.engine.spi.WaitingFor;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The {@link Mapper} a {@link TableSpec} and a module's {@link Resources} make. */
final class KitMapper implements Mapper<Row>, DescribesChanges<Row>, UniqueNames<Row> {
  private final TableSpec spec;
  private final Resources cloud;
  private final Store store;

  KitMapper(TableSpec spec, Resources cloud) {
    this.spec = spec;
    this.cloud = cloud;
    this.store = new Store(spec);
  }

  @Override
  public String table() {
    return spec.table();
  }

  @Override
  public Set<String> dependsOn() {
    Set<String> tables = new LinkedHashSet<>();
    spec.references().forEach(r -> tables.add(r.table()));
    spec.foreignKeys().forEach(f -> tables.add(f.table()));
    return Set.copyOf(tables);
  }

  @Override
  public Scope scope() {
    return spec.regional() ? Scope.REGIONAL : Scope.GLOBAL;
  }

  @Override
  public @Nullable String cloudKey(Row e) {
    if (!spec.identity().isEmpty()) {
      if (e.awaiting() != null || e.get(spec.identity().get(0)) == null) {
        return null;
      }
      Row n = normal(e);
      return e.region() + "/" + spec.identity().stream().map(c -> n.get(c) == null ? "" : n.get(c).toString())
          .collect(Collectors.joining("/"));
    }
    Object id = e.get(spec.cloudId());
    if (id == null) {
      return null;
    }
    return spec.cloudIdGlobal() || !spec.regional() ? id.toString() : e.region() + "/" + id;
  }

  @Override
  public @Nullable String region(Row e) {
    return e.region();
  }

  @Override
  public @Nullable Integer rowId(Row e) {
    return e.id();
  }

  @Override
  public String describe(Row e) {
    Object name = e.get(spec.describedBy());
    return name != null ? name.toString() : spec.table() + " row " + e.id();
  }

  @Override
  public Source source() {
    return spec.cloudOnly() ? Source.CLOUD : Source.DB;
  }

  /**
   * A reference holds the other resource's cloud id; its key is that id, or region and id for a regional one (the kit
   * cannot tell which the other table uses, and a key that matches nothing is ignored).
   */
  @Override
  public Set<String> refersTo(Row e) {
    Set<String> keys = new LinkedHashSet<>();
    for (Reference r : spec.references()) {
      Object id = e.get(r.column());
      if (id != null) {
        keys.add(id.toString());
        if (e.region() != null) {
          keys.add(e.region() + "/" + id);
        }
      }
    }
    return keys;
  }

  @Override
  public boolean ownedByCloud(Row cloudValue) {
    return cloud instanceof Resources.CloudOwned owned && owned.ownedByCloud(cloudValue);
  }

  @Override
  public @Nullable String madeWith(Row cloudValue) {
    return cloud instanceof Resources.MadeWith made ? made.madeWith(cloudValue) : null;
  }

  @Override
  public boolean createMakesOthers() {
    return cloud instanceof Resources.MakesOthers;
  }

  @Override
  public @Nullable RowClaim claim(Row cloudValue) {
    return cloudValue.claim();
  }

  @Override
  public @Nullable String uniqueName(Row e) {
    CrashSafety how = spec.crashSafety();
    return how != null && how.kind() == CrashSafety.Kind.UNIQUE_NAME ? e.text(requireNonNull(how.column())) : null;
  }

  // ---- comparison ----

  /** One differing field: what apply or sync would change. */
  private record Field(String column, @Nullable Object db, @Nullable Object cloud, Difference kind,
      @Nullable String replaceReason, boolean secret) {}

  private Row normal(Row value) {
    return cloud instanceof Resources.Normalises n ? n.normalise(value) : value;
  }

  private List<Field> diff(Row rawDb, Row rawActual) {
    Row db = normal(rawDb);
    Row actual = normal(rawActual);
    List<Field> out = new ArrayList<>();
    boolean inPlace = cloud instanceof Resources.InPlace;
    if (spec.regional() && spec.cloudIdGlobal() && !Objects.equals(db.region(), actual.region())) {
      out.add(new Field(TableSpec.REGION, db.region(), actual.region(), Difference.REPLACE,
          "region cannot change in place", false));
    }
    for (Column col : spec.columns()) {
      Object d = db.get(col.name());
      Object c = actual.get(col.name());
      switch (col.role()) {
        case WRITE_ONLY -> {
          if (d != null) {
            out.add(new Field(col.name(), d, null, userChange(col, inPlace), reason(col, inPlace), true));
          }
        }
        case CLOUD_ASSIGNED -> {
          if (c != null && !Values.equal(col.type(), d, c)) {
            out.add(new Field(col.name(), d, c, Difference.CLOUD_FIELDS, null, false));
          }
        }
        case USER, USER_UNLISTED -> {
          if (c == null && col.role() == Role.USER_UNLISTED) {
            continue; // not known from the cloud's read: no difference
          }
          if (d == null && col.defaultedByCloud()) {
            if (c != null) {
              out.add(new Field(col.name(), null, c, Difference.CLOUD_FIELDS, null, false));
            }
          } else if (!Values.equal(col.type(), d, c)) {
            out.add(new Field(col.name(), d, c, userChange(col, inPlace), reason(col, inPlace), false));
          }
        }
      }
    }
    for (Reference r : spec.references()) {
      Object d = db.get(r.column());
      Object c = actual.get(r.column());
      if (d == null && r.defaultedByCloud()) {
        if (c != null) {
          out.add(new Field(r.column(), null, c, Difference.CLOUD_FIELDS, null, false));
        }
      } else if (!Objects.equals(d, c)) {
        Column asColumn = Column.text(r.column());
        out.add(new Field(r.column(), d, c, userChange(asColumn, inPlace), reason(asColumn, inPlace),
            false));
      }
    }
    if (ownedByCloud(actual)) {
      // What the cloud owns is never replaced (apply would delete it): a field that asks for that is put back as the
      // cloud has it. What changes in place (a default VPC's tags) still does.
      out.replaceAll(f -> f.kind() != Difference.REPLACE ? f
          : new Field(f.column(), f.db(), f.cloud(), Difference.CLOUD_FIELDS, null, f.secret()));
    }
    return out;
  }

  private static Difference userChange(Column col, boolean inPlace) {
    return col.replaceReason() != null || !inPlace ? Difference.REPLACE : Difference.UPDATE;
  }

  private @Nullable String reason(Column col, boolean inPlace) {
    if (col.replaceReason() != null) {
      return col.replaceReason();
    }
    return inPlace ? null : spec.table() + " cannot change in place";
  }

  @Override
  public Difference compare(Row db, Row actual) {
    Difference worst = Difference.NONE;
    for (Field f : diff(db, actual)) {
      if (f.kind().ordinal() > worst.ordinal()) {
        worst = f.kind();
      }
    }
    return worst;
  }

  @Override
  public String describeApply(Row db, Row actual) {
    List<Field> changes = diff(db, actual).stream()
        .filter(f -> f.kind() == Difference.UPDATE || f.kind() == Difference.REPLACE).toList();
    Set<String> reasons = new LinkedHashSet<>();
    changes.forEach(f -> {
      if (f.replaceReason() != null) {
        reasons.add(f.replaceReason());
      }
    });
    String fields = changes.stream().map(f -> f.column() + " " + (f.secret() ? "(secret)"
        : Values.show(f.cloud()) + " → " + Values.show(f.db()))).collect(Collectors.joining(", "));
    return describe(db) + ": " + fields + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")");
  }

  @Override
  public String describeSync(Row db, Row actual) {
    String fields = diff(db, actual).stream().filter(f -> !f.secret())
        .map(f -> f.column() + " " + Values.show(f.db()) + " → " + Values.show(f.cloud()))
        .collect(Collectors.joining(", "));
    return fields.isEmpty() ? describe(db) : describe(db) + ": " + fields;
  }

  // ---- DB side ----

  @Override
  public List<Row> readDb(Connection c) {
    return store.read(c);
  }

  /**
   * A resource referring to one without a row (a group in a VPC the DB does not hold) cannot be recorded: an error,
   * but for what the cloud made itself, which is left out with what it belongs to.
   */
  @Override
  public @Nullable Integer insertDb(Connection c, Row cloudValue) throws SQLException {
    Integer id = store.insert(c, cloudValue);
    // A table keyed by a name (availability zones) has no id to return: its rows always insert.
    if (id == null && spec.keyColumn() == null && !ownedByCloud(cloudValue) && madeWith(cloudValue) == null) {
      throw new SQLException(spec.table() + " " + describe(cloudValue) + " cannot be recorded: a resource it refers"
          + " to (" + spec.references().stream().map(r -> r.column() + " " + Values.show(cloudValue.get(r.column())))
          .collect(Collectors.joining(", ")) + ") has no row", "23503");
    }
    return id;
  }

  @Override
  public void updateDb(Connection c, Row db, Row cloudValue) {
    store.update(c, normal(db), normal(cloudValue));
  }

  @Override
  public void deleteDb(Connection c, Row db) {
    store.delete(c, db);
  }

  // ---- cloud side ----

  @Override
  public List<Row> readCloud(CloudContext ctx, @Nullable String region) {
    return cloud.list(ctx, region);
  }

  @Override
  public Row create(CloudContext ctx, Row desired) {
    if (desired.awaiting() != null) {
      throw new WaitingFor(desired.awaiting());
    }
    Row created = cloud.create(ctx, normal(desired));
    checkCreated(ctx, desired, created);
    return created;
  }

  /** What a create returns must be usable: a broken one is the module's fault, and the resource may be untracked. */
  private void checkCreated(CloudContext ctx, Row desired, Row created) {
    String problem = null;
    if (created.get(spec.cloudId()) == null) {
      problem = "returned no " + spec.cloudId();
    } else if (spec.crashSafety() != null && spec.crashSafety().kind() == CrashSafety.Kind.ROW_TAG
        && desired.id() != null
        && !new RowClaim(ctx.database(), desired.id()).equals(created.claim())) {
      problem = "returned no claim by its row, though the table survives a crash by a row tag";
    }
    if (problem != null) {
      throw new IllegalStateException("the module of " + spec.table() + " is broken: create " + problem
          + "; the resource may exist in the cloud without a row (" + describe(desired) + ")");
    }
  }

  @Override
  public Row update(CloudContext ctx, Row desired, Row actual) {
    if (!(cloud instanceof Resources.InPlace inPlace)) {
      throw new IllegalStateException(spec.table() + " rows cannot be updated in place");
    }
    Set<String> changed = new LinkedHashSet<>();
    diff(desired, actual).stream().filter(f -> f.kind() == Difference.UPDATE).forEach(f -> changed.add(f.column()));
    return inPlace.update(ctx, normal(desired), normal(actual), Set.copyOf(changed));
  }

  @Override
  public void delete(CloudContext ctx, Row actual) {
    cloud.delete(ctx, actual);
  }
}
