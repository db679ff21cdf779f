package dev.iasql.engine.cloud;

import dev.iasql.engine.kit.CrashSafety;
import dev.iasql.engine.kit.Reference;
import dev.iasql.engine.kit.Resources;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.kit.TableSpec;
import dev.iasql.engine.spi.CloudAccount;
import dev.iasql.engine.spi.CloudCodes;
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.CloudException;
import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.Extensions;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.RowClaim;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A cloud in memory behind our own SPI: the account side ({@link CloudAccount}, {@link CloudContext}) and each
 * table's calls (the kit's {@link Resources}), so the planner runs end to end with a cloud whose every call a test can
 * see and steer. Like a real cloud it refuses a create that refers to a resource it does not have and a delete that
 * would leave a resource referring to a deleted one ({@code DependencyViolation}), so a wrong order shows as a refused
 * call. Calls come from the planner's threads: every method is synchronized.
 */
final class MemoryCloud implements CloudAccount {
  static final String REGION = "mem-1";
  static final String OTHER_REGION = "mem-2";
  /** The account's region table, when {@link #withRegionTable} gave the account one. */
  static final String REGIONS_DDL = """
      CREATE TABLE aws_regions (region character varying PRIMARY KEY, is_enabled boolean NOT NULL DEFAULT false);
      CREATE FUNCTION default_aws_region() RETURNS character varying LANGUAGE sql AS $$ SELECT 'mem-1' $$;
      """;

  private final Map<String, TableSpec> specs = new LinkedHashMap<>();
  private final Map<String, Map<String, Row>> resources = new LinkedHashMap<>();
  private final List<String> calls = new ArrayList<>();
  private final Set<String> refused = new HashSet<>();
  private final Set<String> strays = new HashSet<>();
  private final Map<String, Runnable> onCreate = new HashMap<>();
  private @Nullable RuntimeException readFailure;
  private @Nullable CloudException writeFailure;
  private boolean regionTable;
  private @Nullable CloudException openFailure;
  private int ids;
  private int reads;

  @Override
  public CloudCodes codes() {
    return MemoryCode.CLOUD;
  }

  /** The cloud calls of a table; changes in place when {@code inPlace}, else every change replaces. */
  synchronized Resources table(TableSpec spec, boolean inPlace) {
    specs.put(spec.table(), spec);
    resources.put(spec.table(), new LinkedHashMap<>());
    return inPlace ? new InPlaceCalls(spec) : new Calls(spec);
  }

  /** Every create and delete of a resource with this name fails, as a cloud refuses a bad parameter. */
  synchronized void refuse(String name) {
    refused.add(name);
  }

  /**
   * Every read of the table finds one more resource that nobody here made, as when another tool keeps creating them:
   * apply deletes each, and never settles.
   */
  synchronized void strayOnEveryRead(String table) {
    strays.add(table);
  }

  /** Runs {@code action} right after the resource with this name is created (in the planner's cloud thread). */
  synchronized void whenCreated(String name, Runnable action) {
    onCreate.put(name, action);
  }

  /**
   * Gives the account its region table ({@link #REGIONS_DDL}), which apply and sync reconcile before any other: the
   * cloud has {@link #REGION} and {@link #OTHER_REGION}, and a context has the regions the table enables.
   */
  synchronized void withRegionTable() {
    regionTable = true;
  }

  /** Every create and delete fails so, as with credentials that may read but not write. */
  synchronized void failWrites(CloudException failure) {
    writeFailure = failure;
  }

  /** Every read fails so. */
  synchronized void failReads(RuntimeException failure) {
    readFailure = failure;
  }

  /** Opening the account fails so, as it does for a database without credentials. */
  synchronized void failOpen(CloudException failure) {
    openFailure = failure;
  }

  /** How many reads of one table in one region the planner made. */
  synchronized int reads() {
    return reads;
  }

  /**
   * A resource created for a row by an apply that stopped before it wrote the id back: tagged with the row's claim,
   * as the kit's row tag does. Returns its cloud id.
   */
  synchronized String createdForRowButNotRecorded(TableSpec spec, Row values, RowClaim claim) {
    return store(spec, values, claim).text(spec.cloudId());
  }

  /** Creates a resource behind the engine's back (another tool, the console); returns its cloud id. */
  synchronized String outOfBand(TableSpec spec, Row values) {
    return store(spec, values, null).text(spec.cloudId());
  }

  /** Changes a resource behind the engine's back. */
  synchronized void editOutOfBand(TableSpec spec, String cloudId, String column, Object value) {
    resources.get(spec.table()).computeIfPresent(cloudId, (id, r) -> r.with(column, value));
  }

  /** Deletes a resource behind the engine's back. */
  synchronized void deleteOutOfBand(TableSpec spec, String cloudId) {
    resources.get(spec.table()).remove(cloudId);
  }

  /** The table's resources, in creation order. */
  synchronized List<Row> resources(TableSpec spec) {
    return List.copyOf(resources.get(spec.table()).values());
  }

  /** Every call that changed or tried to change something, in order: {@code create parent web}, {@code refused …}. */
  synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  synchronized void forgetCalls() {
    calls.clear();
  }

  @Override
  public synchronized CloudContext open(Connection c, String database, Extensions extensions) {
    if (openFailure != null) {
      throw openFailure;
    }
    if (!regionTable) {
      return new Context(database, List.of(REGION));
    }
    // As an account module does: the regions the database enables, of those the cloud has.
    List<String> enabled = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT region FROM aws_regions WHERE is_enabled ORDER BY region")) {
      while (rs.next()) {
        if (List.of(REGION, OTHER_REGION).contains(rs.getString(1))) {
          enabled.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return new Context(database, List.copyOf(enabled));
  }

  @Override
  public List<Mapper<?>> accountMappers() {
    return regionTable ? List.of(new RegionTable()) : List.of();
  }

  @Override
  public String enableRegionHint(String region) {
    return "UPDATE aws_regions SET is_enabled = true WHERE region = '" + region + "'";
  }

  private record Context(String database, List<String> regions) implements CloudContext {
    @Override
    public String defaultRegion() {
      return REGION;
    }

    @Override
    public <T> T client(Class<T> type, String region) {
      throw new UnsupportedOperationException("the memory cloud has no SDK clients");
    }

    @Override
    public int maxConcurrency() {
      return 4;
    }
  }

  /**
   * The account's region list: the cloud's truth, copied into the table by apply and sync alike; a value is the
   * region's name, and {@code is_enabled} is the user's, never compared.
   */
  private static final class RegionTable implements Mapper<String> {
    @Override
    public String table() {
      return "aws_regions";
    }

    @Override
    public Source source() {
      return Source.CLOUD;
    }

    @Override
    public Scope scope() {
      return Scope.GLOBAL;
    }

    @Override
    public String cloudKey(String region) {
      return region;
    }

    @Override
    public @Nullable String region(String region) {
      return null;
    }

    @Override
    public String describe(String region) {
      return region;
    }

    @Override
    public Difference compare(String db, String cloud) {
      return Difference.NONE;
    }

    @Override
    public List<String> readDb(Connection c) throws SQLException {
      List<String> out = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT region FROM aws_regions")) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }

    @Override
    public @Nullable Integer insertDb(Connection c, String region) throws SQLException {
      // The default region comes enabled, as IaSQL's does.
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO aws_regions (region, is_enabled) VALUES (?, ?)")) {
        ps.setString(1, region);
        ps.setBoolean(2, REGION.equals(region));
        ps.executeUpdate();
      }
      return null;
    }

    @Override
    public void updateDb(Connection c, String db, String cloud) {}

    @Override
    public void deleteDb(Connection c, String region) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM aws_regions WHERE region = ?")) {
        ps.setString(1, region);
        ps.executeUpdate();
      }
    }

    @Override
    public List<String> readCloud(CloudContext ctx, @Nullable String region) {
      return List.of(REGION, OTHER_REGION);
    }
  }

  private Row store(TableSpec spec, Row desired, @Nullable RowClaim claim) {
    String id = spec.table() + "-" + ++ids;
    Row created = new Row(null, desired.region(), desired.values(), claim, null).with(spec.cloudId(), id);
    resources.get(spec.table()).put(id, created);
    return created;
  }

  private static String name(Row r) {
    return String.valueOf(r.get("name"));
  }

  private CloudException refusal(String call, String code, String message) {
    calls.add("refused " + call + ": " + code);
    return new CloudException(CloudException.Kind.REQUEST, code, call + " failed: " + code + ": " + message, null);
  }

  private class Calls implements Resources {
    final TableSpec spec;

    Calls(TableSpec spec) {
      this.spec = spec;
    }

    @Override
    public List<Row> list(CloudContext ctx, @Nullable String region) {
      synchronized (MemoryCloud.this) {
        reads++;
        if (readFailure != null) {
          throw readFailure;
        }
        if (strays.contains(spec.table())) {
          store(spec, Row.in(region).with("name", "stray-" + (ids + 1)), null);
        }
        return resources.get(spec.table()).values().stream().filter(r -> Objects.equals(r.region(), region)).toList();
      }
    }

    @Override
    public Row create(CloudContext ctx, Row desired) {
      synchronized (MemoryCloud.this) {
        String call = "create " + spec.table() + " " + name(desired);
        if (writeFailure != null) {
          throw writeFailure;
        }
        if (refused.contains(name(desired))) {
          throw refusal(call, "InvalidParameterValue", "the name " + name(desired) + " is not allowed");
        }
        for (Reference r : spec.references()) {
          Object target = desired.get(r.column());
          if (target != null && !resources.get(r.table()).containsKey(target.toString())) {
            throw refusal(call, "InvalidParent.NotFound", "there is no " + r.table() + " " + target);
          }
        }
        calls.add(call);
        // A field only the cloud sets, when the table has one.
        boolean hasState = spec.columns().stream().anyMatch(c -> c.name().equals("state"));
        Row created = store(spec, hasState ? desired.with("state", "available") : desired, desired.id() == null ? null : new RowClaim(ctx.database(), desired.id()));
        onCreate.getOrDefault(name(desired), () -> {}).run();
        return created;
      }
    }

    @Override
    public void delete(CloudContext ctx, Row actual) {
      synchronized (MemoryCloud.this) {
        String id = actual.text(spec.cloudId());
        String call = "delete " + spec.table() + " " + name(actual);
        if (writeFailure != null) {
          throw writeFailure;
        }
        if (refused.contains(name(actual))) {
          throw refusal(call, "OperationNotPermitted", name(actual) + " is protected");
        }
        for (TableSpec other : specs.values()) {
          for (Reference r : other.references()) {
            if (r.table().equals(spec.table()) && resources.get(other.table()).values().stream()
                .anyMatch(o -> id.equals(o.get(r.column())))) {
              throw refusal(call, "DependencyViolation", id + " has a dependent " + other.table());
            }
          }
        }
        calls.add(call);
        resources.get(spec.table()).remove(id);
      }
    }
  }

  private final class InPlaceCalls extends Calls implements Resources.InPlace {
    InPlaceCalls(TableSpec spec) {
      super(spec);
    }

    @Override
    public Row update(CloudContext ctx, Row desired, Row actual, Set<String> changed) {
      synchronized (MemoryCloud.this) {
        calls.add("update " + spec.table() + " " + name(actual) + " " + String.join(",", changed));
        Row now = actual;
        for (String column : changed) {
          now = now.with(column, desired.get(column));
        }
        resources.get(spec.table()).put(actual.text(spec.cloudId()), now);
        return now;
      }
    }
  }
}
