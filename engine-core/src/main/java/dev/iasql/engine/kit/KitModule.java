package dev.iasql.engine.kit;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.Module;
import dev.iasql.engine.spi.ModuleName;
import dev.iasql.engine.spi.Rpc;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A module whose tables are all declared on the kit: its migrations are the tables' DDL, its mappers the kit's, and
 * its secret columns the write-only ones, so none can be forgotten. Subclass it with a public no-argument constructor
 * (for {@link java.util.ServiceLoader}); override what else the module needs ({@link Module}'s defaults).
 */
public abstract class KitModule implements Module {
  /**
   * One table: its declaration, its cloud calls, and the SQL functions that serve it (IaSQL's RPCs, such as
   * {@code log_group_tail}), which the module installs with it.
   */
  public record Table(TableSpec spec, Resources resources, List<Rpc<?>> functions) {
    public Table {
      requireNonNull(spec, "spec is null");
      requireNonNull(resources, "resources is null");
      functions = List.copyOf(functions);
    }

    public Table(TableSpec spec, Resources resources, Rpc<?>... functions) {
      this(spec, resources, List.of(functions));
    }
  }

  private final ModuleName name;
  private final String version;
  private final List<ModuleName> dependencies;
  private final List<Table> tables;
  private final List<Mapper<?>> mappers;

  /** @param tables in dependency order: a table after the tables it refers to */
  protected KitModule(ModuleName name, String version, List<ModuleName> dependencies, Table... tables) {
    this.name = requireNonNull(name, "name is null");
    this.version = requireNonNull(version, "version is null");
    this.dependencies = List.copyOf(dependencies);
    this.tables = List.of(tables);
    this.mappers = this.tables.stream().<Mapper<?>>map(t -> t.spec().mapper(t.resources())).toList();
  }

  @Override
  public final ModuleName name() {
    return name;
  }

  @Override
  public final String version() {
    return version;
  }

  @Override
  public final List<ModuleName> dependencies() {
    return dependencies;
  }

  @Override
  public final List<String> migrations() {
    return tables.stream().map(t -> t.spec().ddl()).toList();
  }

  @Override
  public final List<Mapper<?>> mappers() {
    return mappers;
  }

  /** Its tables' functions ({@link Table#functions}). */
  @Override
  public List<Rpc<?>> rpcs() {
    return tables.stream().flatMap(t -> t.functions().stream()).toList();
  }

  /** The tables the cloud alone decides ({@link TableSpec.Builder#cloudOnly}). */
  @Override
  public final Set<String> readOnlyTables() {
    return tables.stream().filter(t -> t.spec().cloudOnly()).map(t -> t.spec().table())
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /**
   * Drops the tables' enum types ({@link TableSpec.Builder#enumType}), which uninstall's drop of the tables would leave
   * behind for a later install to collide with. CASCADE takes only their columns along; the tables go right after.
   */
  @Override
  public String beforeUninstallSql() {
    List<String> types = tables.stream().flatMap(t -> t.spec().enumTypes().values().stream())
        .map(e -> Ddl.quote(e.name())).toList();
    return types.isEmpty() ? Module.super.beforeUninstallSql() : "DROP TYPE IF EXISTS " + String.join(", ", types)
        + " CASCADE;";
  }

  @Override
  public final Map<String, Set<String>> secretColumns() {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    tables.forEach(t -> {
      if (!t.spec().secretColumns().isEmpty()) {
        out.put(t.spec().table(), t.spec().secretColumns());
      }
    });
    return Map.copyOf(out);
  }
}
