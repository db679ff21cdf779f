package dev.iasql.engine.cloud;

import dev.iasql.engine.Change;
import dev.iasql.engine.cloud.Step.Phase;
import dev.iasql.engine.spi.DescribesChanges;
import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.RowClaim;
import dev.iasql.engine.spi.UniqueNames;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One table's two sides as read in a round, and the steps that make one side match the other. Typed by the mapper's
 * value, so the rest of the package can hold tables of any type.
 */
final class Table<E> {
  private final Mapper<E> mapper;
  private final String database;
  private final int level;
  private final List<E> db;
  private final List<E> cloud;
  private final List<String> adoptions = new ArrayList<>();

  private Table(Mapper<E> mapper, String database, int level, List<E> db, List<E> cloud) {
    this.mapper = mapper;
    this.database = database;
    this.level = level;
    this.db = db;
    this.cloud = cloud;
  }

  static <E> Table<E> of(Mapper<E> mapper, String database, int level, List<E> db, List<?> cloud) {
    @SuppressWarnings("unchecked") // readCloud of the same mapper produced them
    List<E> typed = (List<E>) cloud;
    return new Table<>(mapper, database, level, db, typed);
  }

  static <E> List<E> readDb(Mapper<E> mapper, Connection c) throws SQLException {
    return mapper.readDb(c);
  }

  String name() {
    return mapper.table();
  }

  /**
   * Apply: make the cloud match the DB (cloud-owned tables and fields go the other way).
   *
   * @param recorded cloud keys of the resources this round records instead of deleting, of the tables planned before
   *     this one; this table's are added (see {@link Mapper#madeWith})
   * @param replacing cloud keys of the resources this round replaces, of the tables planned before this one, each with
   *     what names it ("vpc vpc-1"); this table's are added, so that what refers to them is replaced too
   *     ({@link Mapper#refersTo})
   * @param vanishing cloud keys of the resources the cloud made with a replaced one, which go with it; this table's
   *     are added
   */
  List<Step> applySteps(Set<String> regions, Set<String> recorded, Map<String, String> replacing,
      Set<String> vanishing) {
    if (mapper.source() == Mapper.Source.CLOUD) {
      return syncSteps(regions);
    }
    List<Step> steps = new ArrayList<>();
    Map<String, E> byKey = cloudByKey();
    List<E> unmatched = new ArrayList<>();
    for (E row : inRegions(db, regions)) {
      String key = mapper.cloudKey(row);
      E actual = key == null ? null : byKey.remove(key);
      if (actual == null) {
        unmatched.add(row);
        continue;
      }
      Difference d = mapper.compare(row, actual);
      String referent = replacedReferent(row, replacing);
      if (referent != null && mapper.ownedByCloud(actual) || vanishing.contains(mapper.madeWith(actual))) {
        // What the cloud made with the replaced one (a VPC's default group, its rules) goes with it; the new one's
        // come back with the new one. The rows go before the round's cloud calls, the rules' before their group's.
        vanishing.add(key);
        steps.add(new Step(change("delete", row, null), level, Phase.DELETE, null,
            (c, r) -> none(() -> mapper.deleteDb(c, row))));
        continue;
      }
      if (d == Difference.REPLACE || referent != null) {
        // A resource the cloud owns (a VPC's default group) goes with the one it belongs to, and comes back new.
        Change change = d == Difference.REPLACE ? applyChange("replace", row, actual)
            : new Change("replace", name(), mapper.rowId(row), mapper.describe(row) + " (" + referent + " is replaced)");
        replacing.put(key, name() + " " + mapper.describe(row));
        steps.addAll(replacement(change, row, actual, referent != null));
        continue;
      }
      switch (d) {
        case NONE, REPLACE -> { }
        case CLOUD_FIELDS -> steps.add(new Step(syncChange("update", row, actual), level, Phase.DB, null,
            (c, r) -> none(() -> mapper.updateDb(c, row, actual))));
        case UPDATE -> steps.add(new Step(applyChange("update", row, actual), level, Phase.CREATE,
            ctx -> mapper.update(ctx, row, actual), (c, r) -> none(() -> mapper.updateDb(c, row, cast(r)))));
      }
    }
    Map<String, E> claimed = claims(byKey);
    for (E row : unmatched) {
      E adopted = adopt(row, claimed, byKey);
      if (adopted != null) {
        // Created for this row by an apply that stopped before writing the id back: adopt it, never create twice.
        steps.add(adoption(row, adopted));
      } else if (mapper.ownedByCloud(row)) {
        // Only the cloud makes these (a default security group, say): a row that matches none of them cannot be
        // created, so it goes, and the cloud's own comes back as an orphan below, as IaSQL's apply restored it.
        steps.add(dbStep("delete", row, (c, r) -> none(() -> mapper.deleteDb(c, row))));
      } else {
        steps.add(replacedReferent(row, replacing) == null ? create(row)
            : new Step(change("create", row, null), level, Phase.CREATE, null, writeBack(row), recreate(row)));
      }
    }
    for (Map.Entry<String, E> o : byKey.entrySet()) {
      E orphan = o.getValue();
      String madeWith = mapper.madeWith(orphan);
      if (mapper.ownedByCloud(orphan) || madeWith != null && recorded.contains(madeWith)) {
        recorded.add(o.getKey());
        steps.add(dbStep("create", orphan, (c, r) -> mapper.insertDb(c, orphan)));
      } else {
        steps.add(new Step(new Change("delete", name(), null, mapper.describe(orphan)), level, Phase.DELETE,
            ctx -> {
              mapper.delete(ctx, orphan);
              return null;
            }, Step.DbWrite.NONE));
      }
    }
    return steps;
  }

  /** Rows of this table in regions that are not enabled (which apply and sync leave alone), counted by region. */
  Map<String, Integer> outside(Set<String> regions) {
    Map<String, Integer> counts = new TreeMap<>();
    if (mapper.scope() == Mapper.Scope.REGIONAL) {
      for (E row : db) {
        String region = mapper.region(row);
        if (region != null && !regions.contains(region)) {
          counts.merge(region, 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  /** Sync: make the DB match the cloud. Rows of regions that are not enabled are left alone. */
  List<Step> syncSteps(Set<String> regions) {
    List<Step> steps = new ArrayList<>();
    Map<String, E> byKey = cloudByKey();
    List<E> gone = new ArrayList<>();
    for (E row : inRegions(db, regions)) {
      String key = mapper.cloudKey(row);
      E actual = key == null ? null : byKey.remove(key);
      if (actual == null) {
        gone.add(row);
      } else if (mapper.compare(row, actual) != Difference.NONE) {
        steps.add(new Step(syncChange("update", row, actual), level, Phase.DB, null,
            (c, r) -> none(() -> mapper.updateDb(c, row, actual))));
      }
    }
    Map<String, E> claimed = claims(byKey);
    List<E> reallyGone = new ArrayList<>();
    for (E row : gone) {
      E adopted = adopt(row, claimed, byKey);
      if (adopted != null) {
        steps.add(adoption(row, adopted));
      } else {
        reallyGone.add(row);
      }
    }
    gone = reallyGone;
    for (E fresh : byKey.values()) {
      steps.add(new Step(new Change("create", name(), null, mapper.describe(fresh)), level, Phase.DB, null,
          (c, r) -> mapper.insertDb(c, fresh)));
    }
    for (E row : gone) {
      // Deletes go last and downwards, so a row is gone before the rows it refers to.
      steps.add(new Step(change("delete", row, null), level, Phase.DELETE, null,
          (c, r) -> none(() -> mapper.deleteDb(c, row))));
    }
    return steps;
  }

  /**
   * Adopting a resource is a DB write, yet worth telling: it means an earlier operation stopped between the cloud
   * and the database (a crash, a killed engine). The step's own line says which resource went to which row.
   */
  private Step adoption(E row, E adopted) {
    adoptions.add(mapper.describe(adopted) + " for " + name() + " row " + mapper.rowId(row) + ", created for it by"
        + " an earlier apply that stopped before recording it (adopted, not created again)");
    return dbStep("update", row, (c, r) -> none(() -> mapper.updateDb(c, row, adopted)));
  }

  /** What {@link #applySteps} and {@link #syncSteps} planned to adopt, one line each. */
  List<String> adoptions() {
    return List.copyOf(adoptions);
  }

  private Step create(E row) {
    return new Step(change("create", row, null), level, Phase.CREATE, ctx -> mapper.create(ctx, row), writeBack(row));
  }

  /**
   * The two halves of a replacement, one change: the old resource goes in the teardown (after what refers to it), the
   * new one comes in the creates (after what it refers to, read again when it is itself made again for a replaced
   * referent, so that it names the new one).
   */
  private List<Step> replacement(Change change, E row, E actual, boolean forReferent) {
    Step teardown = new Step(change, level, Phase.TEARDOWN, ctx -> {
      mapper.delete(ctx, actual);
      return null;
    }, Step.DbWrite.NONE);
    Step create = forReferent ? new Step(change, level, Phase.CREATE, null, writeBack(row), recreate(row))
        : new Step(change, level, Phase.CREATE, ctx -> mapper.create(ctx, row), writeBack(row));
    return List.of(teardown, create);
  }

  /** The create of a row as the DB has it when its level runs: a referent replaced earlier has its new id by then. */
  private Step.Prepare recreate(E row) {
    Integer id = mapper.rowId(row);
    return c -> {
      E now = mapper.readDb(c).stream().filter(r -> id != null && id.equals(mapper.rowId(r))).findFirst().orElse(row);
      return ctx -> mapper.create(ctx, now);
    };
  }

  private Step.DbWrite writeBack(E row) {
    return (c, r) -> none(() -> mapper.updateDb(c, row, cast(r)));
  }

  /** What names a resource this row refers to that the round replaces, or null when there is none. */
  private @Nullable String replacedReferent(E row, Map<String, String> replacing) {
    if (replacing.isEmpty()) {
      return null;
    }
    return mapper.refersTo(row).stream().map(replacing::get).filter(java.util.Objects::nonNull).findFirst()
        .orElse(null);
  }

  private Step dbStep(String action, E row, Step.DbWrite write) {
    return new Step(change(action, row, null), level, Phase.DB, null, write);
  }

  private Change change(String action, E row, @Nullable E cloudValue) {
    return new Change(action, name(), mapper.rowId(row), mapper.describe(cloudValue == null ? row : cloudValue));
  }

  /** Apply changing the cloud: with the fields it changes, when the mapper can name them. */
  private Change applyChange(String action, E row, E actual) {
    return mapper instanceof DescribesChanges<?> ? new Change(action, name(), mapper.rowId(row),
        describer().describeApply(row, actual)) : change(action, row, actual);
  }

  /** A row made to say what the cloud says: with the fields it changes, when the mapper can name them. */
  private Change syncChange(String action, E row, E actual) {
    return mapper instanceof DescribesChanges<?> ? new Change(action, name(), mapper.rowId(row),
        describer().describeSync(row, actual)) : change(action, row, null);
  }

  @SuppressWarnings("unchecked") // a mapper describes its own values
  private DescribesChanges<E> describer() {
    return (DescribesChanges<E>) mapper;
  }

  /** Resources left unmatched that carry a claim by a row of this database, by row id and region. */
  private Map<String, E> claims(Map<String, E> byKey) {
    Map<String, E> claimed = new HashMap<>();
    for (E e : byKey.values()) {
      RowClaim claim = mapper.claim(e);
      if (claim != null && claim.database().equals(database)) {
        claimed.put(claim.rowId() + "@" + mapper.region(e), e);
      }
    }
    return claimed;
  }

  /**
   * The resource an earlier operation created for this row but could not record (it stopped in between), taken out
   * of the unmatched resources so it is neither deleted nor imported as a new row; null when there is none.
   */
  private @Nullable E adopt(E row, Map<String, E> claimed, Map<String, E> byKey) {
    Integer id = mapper.rowId(row);
    E adopted = id == null ? null : claimed.remove(id + "@" + mapper.region(row));
    if (adopted == null && mapper instanceof UniqueNames<?> names) {
      adopted = sameName(row, names, byKey);
    }
    if (adopted != null) {
      byKey.remove(mapper.cloudKey(adopted));
    }
    return adopted;
  }

  /** The unmatched, unclaimed resource of the row's region with the row's unique name, or null. */
  private @Nullable E sameName(E row, UniqueNames<?> names, Map<String, E> byKey) {
    @SuppressWarnings("unchecked") // a mapper names its own values
    UniqueNames<E> typed = (UniqueNames<E>) names;
    String name = typed.uniqueName(row);
    if (name == null) {
      return null;
    }
    for (E e : byKey.values()) {
      if (name.equals(typed.uniqueName(e)) && java.util.Objects.equals(mapper.region(row), mapper.region(e))
          && mapper.claim(e) == null) {
        return e;
      }
    }
    return null;
  }

  private Map<String, E> cloudByKey() {
    Map<String, E> byKey = new LinkedHashMap<>();
    for (E e : cloud) {
      String key = mapper.cloudKey(e);
      if (key != null) {
        byKey.put(key, e);
      }
    }
    return byKey;
  }

  private List<E> inRegions(List<E> rows, Set<String> regions) {
    if (mapper.scope() == Mapper.Scope.GLOBAL) {
      return rows;
    }
    return rows.stream().filter(r -> regions.contains(mapper.region(r))).toList();
  }

  @FunctionalInterface
  private interface SqlRun {
    void run() throws SQLException;
  }

  /** A DB write that inserts no row. */
  private static @Nullable Integer none(SqlRun write) throws SQLException {
    write.run();
    return null;
  }

  @SuppressWarnings("unchecked") // a step's cloud call returns the mapper's own value type
  private E cast(@Nullable Object o) {
    return (E) o;
  }
}
