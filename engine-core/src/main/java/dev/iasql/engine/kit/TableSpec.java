package dev.iasql.engine.kit;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.Hashing;
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.Mapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A table declared once: columns with their roles, the cloud id, the region column of a regional table, references,
 * unique constraints and CHECKs with IaSQL's names, and how a create survives a crash. From it the kit makes the DDL
 * ({@link #ddl()}) and, with the module's cloud calls, the table's {@link Mapper} ({@link #mapper}).
 *
 * <pre>{@code
 * static final TableSpec SPEC = TableSpec.regional("log_group")
 *     .column(Column.text("log_group_name").notNull().replacedOnChange())
 *     .column(Column.text("log_group_arn").cloudAssigned())
 *     .cloudId("log_group_arn", true)
 *     .unique("IDX_0debae85724e7e1b623c556fb0", "log_group_name", "region")
 *     .survivesCrashBy(CrashSafety.uniqueName("log_group_name"))
 *     .build();
 * }</pre>
 *
 * <p>Every table has a serial {@code id} primary key; a regional one a {@code region} column, NOT NULL, defaulting to
 * {@code default_aws_region()} and referring to {@code aws_regions}.
 */
public final class TableSpec {
  /** The region column of regional tables. */
  public static final String REGION = "region";

  private final String table;
  private final boolean regional;
  private final Map<String, Column> columns;
  private final List<Reference> references;
  private final String cloudId;
  private final boolean cloudIdGlobal;
  private final String describedBy;
  private final Map<String, List<String>> uniques;
  private final Map<String, String> checks;
  private final @Nullable String primaryKey;
  private final @Nullable String regionForeignKey;
  private final @Nullable CrashSafety crashSafety;
  private final boolean cloudOnly;
  private final List<String> identity;
  private final Map<String, EnumType> enumTypes;
  private final List<ForeignKey> foreignKeys;
  private final @Nullable String keyColumn;
  private final Map<String, String> attributeNames;

  /** A PostgreSQL enum a text column is typed with: created before the table, dropped at uninstall. */
  record EnumType(String name, List<String> values) {}

  /** A foreign key on columns other than a {@link Reference}'s (a subnet's zone, by its name and region). */
  record ForeignKey(String constraint, List<String> columns, String table, List<String> targetColumns) {}

  private TableSpec(Builder b) {
    this.table = b.table;
    this.regional = b.regional;
    this.columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.columns));
    this.references = List.copyOf(b.references);
    this.cloudId = requireNonNull(b.cloudId, () -> b.table + ": declare the cloud id column (cloudId)");
    this.cloudIdGlobal = b.cloudIdGlobal;
    // A row is best named by what its user named it: the unique name, when the table has one.
    this.describedBy = b.describedBy != null ? b.describedBy : b.crashSafety != null && b.crashSafety.column() != null
        ? b.crashSafety.column() : b.cloudId;
    this.uniques = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.uniques));
    this.checks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.checks));
    this.primaryKey = b.primaryKey;
    this.regionForeignKey = b.regionForeignKey;
    this.cloudOnly = b.cloudOnly;
    this.identity = List.copyOf(b.identity);
    // A resource known by its content needs nothing more: after a lost write-back, the next apply finds it by it.
    this.crashSafety = cloudOnly || !identity.isEmpty() && b.crashSafety == null ? null
        : requireNonNull(b.crashSafety, () -> b.table + ": declare how a create survives a crash before its"
            + " write-back (survivesCrashBy: a row tag, a client token or a unique name)");
    this.enumTypes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.enumTypes));
    this.foreignKeys = List.copyOf(b.foreignKeys);
    this.keyColumn = b.keyColumn;
    this.attributeNames = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.attributeNames));
    validate();
  }

  private void validate() {
    Column id = columns.get(cloudId);
    if (id == null || id.role() == Role.WRITE_ONLY) {
      throw new IllegalArgumentException(table + ": the cloud id " + cloudId + " must be a readable column");
    }
    if (!columns.containsKey(describedBy)) {
      throw new IllegalArgumentException(table + ": describedBy names no column: " + describedBy);
    }
    Set<String> all = new LinkedHashSet<>(columns.keySet());
    references.forEach(r -> all.add(r.column()));
    identity.forEach(c -> {
      if (!all.contains(c)) {
        throw new IllegalArgumentException(table + ": identifiedBy names no column: " + c);
      }
    });
    if (regional) {
      all.add(REGION);
    }
    if (keyColumn == null) {
      all.add("id");
    } else if (columns.get(keyColumn) == null || columns.get(keyColumn).nullable()) {
      throw new IllegalArgumentException(table + ": the key " + keyColumn + " must be a NOT NULL column");
    }
    uniques.forEach((name, cols) -> cols.forEach(c -> {
      if (!all.contains(c)) {
        throw new IllegalArgumentException(table + ": unique " + name + " names no column: " + c);
      }
    }));
    foreignKeys.forEach(f -> f.columns().forEach(c -> {
      if (!all.contains(c)) {
        throw new IllegalArgumentException(table + ": foreign key " + f.constraint() + " names no column: " + c);
      }
    }));
    enumTypes.keySet().forEach(c -> {
      if (columns.get(c) == null || columns.get(c).type() != ColumnType.TEXT) {
        throw new IllegalArgumentException(table + ": an enum type needs a text column: " + c);
      }
    });
    attributeNames.keySet().forEach(c -> {
      if (!Attributes.BINDABLE.contains(columns.get(c).type())) {
        throw new IllegalArgumentException(table + ": an attribute is text, a number, a boolean or JSON: " + c);
      }
    });
    if (crashSafety != null && crashSafety.kind() == CrashSafety.Kind.UNIQUE_NAME) {
      Column name = columns.get(crashSafety.column());
      if (name == null || name.role() != Role.USER || name.nullable()) {
        throw new IllegalArgumentException(table + ": a unique name must be a NOT NULL user column: "
            + crashSafety.column());
      }
      List<String> key = regional ? List.of(crashSafety.column(), REGION) : List.of(crashSafety.column());
      if (uniques.values().stream().noneMatch(u -> Set.copyOf(u).equals(Set.copyOf(key)))) {
        throw new IllegalArgumentException(table + ": the unique name " + crashSafety.column()
            + " needs a unique constraint on " + key);
      }
    }
  }

  public static Builder regional(String table) {
    return new Builder(table, true);
  }

  public static Builder global(String table) {
    return new Builder(table, false);
  }

  public String table() {
    return table;
  }

  public boolean regional() {
    return regional;
  }

  /** The columns, in DDL order (without {@code id}, {@code region} and references). */
  public List<Column> columns() {
    return List.copyOf(columns.values());
  }

  public List<Reference> references() {
    return references;
  }

  public String cloudId() {
    return cloudId;
  }

  /** Whether the cloud id is unique across regions (an ARN), so that a region change replaces the resource. */
  public boolean cloudIdGlobal() {
    return cloudIdGlobal;
  }

  public String describedBy() {
    return describedBy;
  }

  /**
   * The columns a resource is known by instead of its cloud id ({@link Builder#identifiedBy}); empty when the cloud
   * id is its identity.
   */
  public List<String> identity() {
    return identity;
  }

  /**
   * How a create survives a crash; null for a {@link #cloudOnly} table, which apply never creates in, or one
   * {@link #identity known by its content}.
   */
  public @Nullable CrashSafety crashSafety() {
    return crashSafety;
  }

  /** Whether the cloud alone decides the rows (availability zones): read-only for the tenant, never applied. */
  public boolean cloudOnly() {
    return cloudOnly;
  }

  Map<String, List<String>> uniques() {
    return uniques;
  }

  Map<String, String> checks() {
    return checks;
  }

  @Nullable String primaryKey() {
    return primaryKey;
  }

  @Nullable String regionForeignKey() {
    return regionForeignKey;
  }

  Map<String, EnumType> enumTypes() {
    return enumTypes;
  }

  List<ForeignKey> foreignKeys() {
    return foreignKeys;
  }

  /** The column keying a table without an {@code id} ({@link Builder#keyedBy}); null for a table with one. */
  @Nullable String keyColumn() {
    return keyColumn;
  }

  @Nullable Column column(String name) {
    return columns.get(name);
  }

  /** The bound columns ({@link Builder#attribute}) and the attribute each one is. */
  Map<String, String> attributeNames() {
    return attributeNames;
  }

  /**
   * What a create sends of the columns bound to attributes ({@link Builder#attribute}): every user or write-only one
   * with a value, as text, by attribute name. A new map, which the caller may add to.
   */
  public Map<String, String> attributes(Row desired) {
    return Attributes.all(this, desired);
  }

  /**
   * What an update sends of the bound columns: those {@code changed} names, as text by attribute name; a cleared one
   * as the empty text, which AWS takes for "unset". A new map.
   */
  public Map<String, String> changedAttributes(Row desired, Set<String> changed) {
    return Attributes.changed(this, desired, changed);
  }

  /**
   * A value read from the cloud with every readable bound column set from its attributes, converted to the column's
   * type; an attribute absent or empty is NULL.
   */
  public Row withAttributes(Row value, Map<String, String> attributes) {
    return Attributes.read(this, value, attributes);
  }

  /** The write-only columns: {@link dev.iasql.engine.spi.Module#secretColumns} of the module. */
  public Set<String> secretColumns() {
    Set<String> out = new LinkedHashSet<>();
    columns.values().stream().filter(c -> c.role() == Role.WRITE_ONLY).forEach(c -> out.add(c.name()));
    return Set.copyOf(out);
  }

  /** The CREATE TABLE and its foreign keys, for {@link dev.iasql.engine.spi.Module#migrations}. */
  public String ddl() {
    return Ddl.of(this);
  }

  /** The table's mapper, the kit's DB side joined to the module's cloud calls. */
  public Mapper<Row> mapper(Resources resources) {
    return new KitMapper(this, requireNonNull(resources, "resources is null"));
  }

  /**
   * The client token of a create ({@link CrashSafety.Kind#CLIENT_TOKEN}): the same for every try of the same row of
   * the same database, so the cloud answers a repeat with the first resource. 64 hexadecimal characters.
   */
  public String clientToken(CloudContext ctx, Row desired) {
    return Hashing.sha256().hashString(ctx.database() + "/" + table + "/" + desired.id(), StandardCharsets.UTF_8)
        .toString();
  }

  /** Declares a table; {@link #build} checks it is whole. */
  public static final class Builder {
    private final String table;
    private final boolean regional;
    private final Map<String, Column> columns = new LinkedHashMap<>();
    private final List<Reference> references = new ArrayList<>();
    private final Map<String, List<String>> uniques = new LinkedHashMap<>();
    private final Map<String, String> checks = new LinkedHashMap<>();
    private @Nullable String cloudId;
    private boolean cloudIdGlobal;
    private @Nullable String describedBy;
    private @Nullable String primaryKey;
    private @Nullable String regionForeignKey;
    private @Nullable CrashSafety crashSafety;
    private boolean cloudOnly;
    private final List<String> identity = new ArrayList<>();
    private final Map<String, EnumType> enumTypes = new LinkedHashMap<>();
    private final List<ForeignKey> foreignKeys = new ArrayList<>();
    private @Nullable String keyColumn;
    private final Map<String, String> attributeNames = new LinkedHashMap<>();

    private Builder(String table, boolean regional) {
      this.table = requireNonNull(table, "table is null");
      this.regional = regional;
      if (!table.matches("[a-z][a-z0-9_]*")) {
        throw new IllegalArgumentException("table name " + table + " is not lower snake case");
      }
    }

    public Builder column(Column c) {
      if (c.name().equals("id") || c.name().equals(REGION) || columns.putIfAbsent(c.name(), c) != null) {
        throw new IllegalArgumentException(table + ": column " + c.name() + " is declared twice or reserved");
      }
      return this;
    }

    /**
     * A column that is one entry of the resource's attribute map of strings, as a queue's {@code VisibilityTimeout}
     * is in SQS: {@link TableSpec#attributes}, {@link TableSpec#changedAttributes} and
     * {@link TableSpec#withAttributes} convert between them.
     * Text, numbers, booleans and JSON only.
     */
    public Builder attribute(Column c, String attribute) {
      column(c);
      attributeNames.put(c.name(), requireNonNull(attribute, "attribute is null"));
      return this;
    }

    public Builder reference(Reference r) {
      references.add(requireNonNull(r, "reference is null"));
      return this;
    }

    /**
     * The column holding the resource's cloud id.
     *
     * @param global whether it is unique across regions (an ARN): then a region change replaces the resource
     */
    public Builder cloudId(String column, boolean global) {
      this.cloudId = requireNonNull(column, "column is null");
      this.cloudIdGlobal = global;
      return this;
    }

    /**
     * The column naming a row in results and errors (default: the unique name of a table that survives a crash by
     * one, else the cloud id). Never a secret.
     */
    public Builder describedBy(String column) {
      this.describedBy = requireNonNull(column, "column is null");
      return this;
    }

    /**
     * Types a text column with a PostgreSQL enum (IaSQL's {@code vpc_state_enum}): the type is created before the
     * table and dropped when the module is uninstalled; a {@link Row} holds its values as text.
     */
    public Builder enumType(String column, String typeName, String... values) {
      enumTypes.put(requireNonNull(column, "column is null"), new EnumType(requireNonNull(typeName, "typeName is null"),
          List.of(values)));
      return this;
    }

    /**
     * A foreign key on plain columns (a subnet's zone, by name and region), where the referred table's key is the
     * cloud's name, not a row id; the referred table is read and written first, as for a {@link Reference}.
     */
    public Builder foreignKey(String constraint, List<String> columns, String table, List<String> targetColumns) {
      foreignKeys.add(new ForeignKey(requireNonNull(constraint, "constraint is null"), List.copyOf(columns),
          requireNonNull(table, "table is null"), List.copyOf(targetColumns)));
      return this;
    }

    /**
     * The table has no {@code id} column: this NOT NULL column is its primary key, as IaSQL keys its
     * {@code availability_zone} by name. Rows have no id ({@link Row#id()} is null).
     */
    public Builder keyedBy(String column) {
      this.keyColumn = requireNonNull(column, "column is null");
      return this;
    }

    /**
     * A unique constraint; one on {@code id} and {@code region} names the constraint the kit otherwise adds to every
     * regional table as {@code uq_<table>_id_region}.
     */
    public Builder unique(String constraint, String... columns) {
      uniques.put(requireNonNull(constraint, "constraint is null"), List.of(columns));
      return this;
    }

    /** A CHECK over several columns (module SQL, never a user value). */
    public Builder check(String constraint, String condition) {
      checks.put(requireNonNull(constraint, "constraint is null"), requireNonNull(condition, "condition is null"));
      return this;
    }

    /** The primary key's name, such as IaSQL's {@code PK_…}. */
    public Builder primaryKey(String name) {
      this.primaryKey = requireNonNull(name, "name is null");
      return this;
    }

    /** The name of the region column's foreign key to {@code aws_regions}, such as IaSQL's {@code FK_…}. */
    public Builder regionForeignKey(String name) {
      this.regionForeignKey = requireNonNull(name, "name is null");
      return this;
    }

    public Builder survivesCrashBy(CrashSafety how) {
      this.crashSafety = requireNonNull(how, "how is null");
      return this;
    }

    /**
     * The cloud alone decides this table's rows (a region's availability zones): sync and apply copy the cloud into
     * it, the tenant may only read it, and it needs no {@link #survivesCrashBy} (nothing is ever created).
     */
    public Builder cloudOnly() {
      this.cloudOnly = true;
      return this;
    }

    /**
     * The resource is known by what it is, not by its cloud id (a security group rule: a row written by hand finds
     * the rule AWS has): its key is the region and these values, the first naming what it belongs to (a rule's
     * group); a row without that, or waiting for a reference, has no key yet. It survives a crash by this too.
     */
    public Builder identifiedBy(String... columns) {
      if (columns.length == 0) {
        throw new IllegalArgumentException(table + ": identifiedBy needs a column");
      }
      identity.addAll(List.of(columns));
      return this;
    }

    public TableSpec build() {
      return new TableSpec(this);
    }
  }
}
