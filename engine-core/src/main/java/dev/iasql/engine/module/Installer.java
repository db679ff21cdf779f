package dev.iasql.engine.module;

import static java.util.Objects.requireNonNull;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import dev.iasql.engine.Call.Progress;
import dev.iasql.engine.Cancellation;
import dev.iasql.engine.InstallResult;
import dev.iasql.engine.ModuleTable;
import dev.iasql.engine.UninstallResult;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.error.UserText;
import dev.iasql.engine.operation.LogContext;
import dev.iasql.engine.platform.PlatformModule;
import dev.iasql.engine.spi.EngineExtension;
import dev.iasql.engine.spi.Module;
import dev.iasql.engine.spi.ModuleName;
import dev.iasql.engine.sql.AdvisoryLocks;
import dev.iasql.engine.sql.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * Installs and uninstalls modules in one user database, inside the caller's transaction (so all or nothing). The
 * caller owns the connection and the transaction; this class owns the order, the bookkeeping tables and the grants.
 */
public final class Installer {
  private static final Pattern DUPLICATE_RELATION = Pattern.compile("relation \"([^\"]+)\" already exists");

  private final ModuleCatalog catalog;
  private final String release;
  private final List<EngineExtension> extensions;

  /** Installs the modules of one release; platform modules are recorded at that release. */
  public Installer(ModuleCatalog catalog, String release) {
    this(catalog, release, List.of());
  }

  /** @param extensions what they add to each module's install and uninstall (the bridge: its RPC functions) */
  public Installer(ModuleCatalog catalog, String release, List<EngineExtension> extensions) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.release = requireNonNull(release, "release is null");
    this.extensions = List.copyOf(extensions);
  }

  /** Installs the named modules and what they need; installed ones and repeats are skipped. */
  public InstallResult install(Connection connection, String tenantRole, List<String> names, Progress progress,
      Cancellation cancellation) {
    lock(connection);
    DSLContext dsl = Sql.dsl(connection);
    Set<String> installed = installedNames(dsl);
    List<Module> requested = names.stream().map(this::require).toList();
    List<Module> plan = catalog.installOrder(requested, installed);
    List<ModuleTable> created = new ArrayList<>();
    List<String> done = new ArrayList<>();
    int step = 0;
    for (Module m : plan) {
      List<ModuleTable> tables;
      try (var log = LogContext.put("module", m.name().value())) {
        tables = installOne(connection, dsl, m, tenantRole, cancellation);
      }
      created.addAll(tables);
      done.add(m.name().value());
      progress.report("installed " + versioned(m) + " (" + ++step + " of " + plan.size() + ", "
          + tables(tables.size()) + ")");
    }
    return new InstallResult(done, created);
  }

  /** Uninstalls the named modules, dependants first; refuses while a module outside the set still needs one. */
  public UninstallResult uninstall(Connection connection, List<String> names, Progress progress,
      Cancellation cancellation) {
    lock(connection);
    DSLContext dsl = Sql.dsl(connection);
    Set<String> installed = installedNames(dsl);
    LinkedHashSet<Module> targets = new LinkedHashSet<>();
    for (String n : names) {
      Module m = require(n);
      if (m.platform()) {
        throw EngineException.withHint(ErrorCode.PLATFORM_MODULE,
            "module " + m.name() + " is part of the platform and cannot be uninstalled",
            "drop the whole database instead: ./iasql db drop NAME");
      }
      if (installed.contains(m.name().value())) {
        targets.add(m);
      }
    }
    Set<String> targetNames = targets.stream().map(m -> m.name().value()).collect(Collectors.toSet());
    Map<String, List<String>> blocking = new TreeMap<>();
    for (var row : dsl.fetch("SELECT split_part(module, '@', 1), split_part(dependency, '@', 1) FROM"
        + " iasql_dependencies")) {
      String module = row.get(0, String.class);
      String dependency = row.get(1, String.class);
      if (targetNames.contains(dependency) && !targetNames.contains(module)) {
        blocking.computeIfAbsent(dependency, k -> new ArrayList<>()).add(module);
      }
    }
    if (!blocking.isEmpty()) {
      String detail = blocking.entrySet().stream()
          .map(e -> e.getKey() + " is needed by " + String.join(", ", e.getValue()))
          .collect(Collectors.joining("; "));
      String dependants = blocking.values().stream().flatMap(List::stream).distinct().sorted()
          .collect(Collectors.joining(", "));
      throw new EngineException(ErrorCode.MODULE_HAS_DEPENDANTS,
          "cannot uninstall " + String.join(", ", blocking.keySet()) + ": installed modules depend on "
              + (blocking.size() == 1 ? "it" : "them"), detail,
          "uninstall " + dependants + " first, or in the same call", null);
    }
    // Dependants before what they depend on: reverse of an install order over the targets.
    List<Module> order = new ArrayList<>();
    for (Module m : targets) {
      for (Module step : catalog.dependencyOrder(m)) {
        if (targets.contains(step) && !order.contains(step)) {
          order.add(step);
        }
      }
    }
    Collections.reverse(order);
    List<ModuleTable> dropped = new ArrayList<>();
    List<String> done = new ArrayList<>();
    int step = 0;
    for (Module m : order) {
      cancellation.throwIfCancelled();
      List<ModuleTable> tables;
      try (var log = LogContext.put("module", m.name().value())) {
        tables = uninstallOne(connection, dsl, m);
      }
      dropped.addAll(tables);
      done.add(m.name().value());
      progress.report("uninstalled " + m.name() + " (" + ++step + " of " + order.size() + ", "
          + tables(tables.size()) + " dropped)");
    }
    return new UninstallResult(done, dropped);
  }

  private List<ModuleTable> installOne(Connection connection, DSLContext dsl, Module m, String tenantRole,
      Cancellation cancellation) {
    Snapshot before = Snapshot.take(dsl);
    // A savepoint, so that after a failed migration the transaction can still say which module owns a table.
    Savepoint beforeMigrations = savepoint(connection);
    List<String> scripts = new ArrayList<>(m.migrations());
    extensions.forEach(e -> scripts.addAll(e.installSql(m)));
    for (String migration : scripts) {
      cancellation.throwIfCancelled();
      try {
        Sql.script(connection, migration);
      } catch (DataAccessException e) {
        rollbackTo(connection, beforeMigrations);
        throw migrationFailed(dsl, m, e);
      }
    }
    Snapshot after = Snapshot.take(dsl);
    refuseShadowedTables(dsl, m, before, after);
    String versioned = versioned(m);
    dsl.execute("INSERT INTO iasql_module (name) VALUES (?)", versioned);
    for (ModuleName dep : m.dependencies()) {
      Module d = catalog.find(dep).orElseThrow();
      dsl.execute("INSERT INTO iasql_dependencies (module, dependency) VALUES (?, ?)", versioned, versioned(d));
    }
    if (!m.platform() && !m.dependencies().contains(PlatformModule.NAME)) {
      // IaSQL made every module depend on iasql_platform, and iasql_modules_installed() shows it.
      dsl.execute("INSERT INTO iasql_dependencies (module, dependency) VALUES (?, ?)", versioned,
          PlatformModule.NAME.value() + "@" + release);
    }
    return register(connection, dsl, m, tenantRole, before, after);
  }

  /**
   * Records what a module's SQL created between two snapshots: its tables in iasql_tables, the tenant's grants, the
   * audit trigger (with the module's secret columns), grants on new sequences and functions.
   */
  private List<ModuleTable> register(Connection connection, DSLContext dsl, Module m, String tenantRole,
      Snapshot before, Snapshot after) {
    String versioned = versioned(m);
    List<String> newTables = after.tables().stream().filter(t -> !before.tables().contains(t)).toList();
    List<ModuleTable> created = new ArrayList<>();
    for (String t : newTables) {
      dsl.execute("INSERT INTO iasql_tables (\"table\", module) VALUES (?, ?)", t, versioned);
      boolean readOnly = m.platform() || m.readOnlyTables().contains(t);
      Sql.execFormatted(connection, readOnly ? "GRANT SELECT ON TABLE public.%I TO %I"
          : "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.%I TO %I", t, tenantRole);
      if (!m.platform()) {
        List<String> secrets = List.copyOf(m.secretColumns().getOrDefault(t, Set.of()));
        List<Object> args = new ArrayList<>();
        args.add(t);
        args.addAll(secrets);
        Sql.execFormatted(connection, "CREATE TRIGGER iasql_audit AFTER INSERT OR UPDATE OR DELETE ON public.%I"
            + " FOR EACH ROW EXECUTE FUNCTION public.iasql_audit(" + String.join(", ",
                Collections.nCopies(secrets.size(), "%L")) + ")", args.toArray());
      }
      created.add(new ModuleTable(m.name().value(), t, dsl.fetchCount(table(name("public", t)))));
    }
    for (String s : after.sequences()) {
      // The platform's sequences are the engine's alone: a tenant able to call nextval could exhaust them.
      if (!m.platform() && !before.sequences().contains(s)) {
        Sql.execFormatted(connection, "GRANT USAGE, SELECT ON SEQUENCE public.%I TO %I", s, tenantRole);
      }
    }
    for (String f : after.functions()) {
      if (!before.functions().contains(f)) {
        // f is regprocedure text that PostgreSQL rendered itself, identifiers already quoted.
        Sql.execFormatted(connection, "GRANT EXECUTE ON FUNCTION %s TO %I", f, tenantRole);
      }
    }
    return created;
  }

  /**
   * Moves every installed module from an older release to this installer's, in place: each module's
   * {@link Module#upgradeFrom} SQL runs in dependency order in the caller's transaction, new objects are registered
   * as at install, dropped tables forgotten, and the module rows renamed to this release. Modules already at this
   * release are skipped (only those at {@code fromRelease} move), so a second run after a crash finishes the job.
   * Returns the modules moved.
   */
  public List<String> upgrade(Connection connection, String tenantRole, ModuleCatalog from, String fromRelease,
      Progress progress, Cancellation cancellation) {
    lock(connection);
    DSLContext dsl = Sql.dsl(connection);
    Map<String, String> installed = new TreeMap<>();
    for (var r : dsl.fetch("SELECT split_part(name, '@', 1), split_part(name, '@', 2) FROM iasql_module")) {
      installed.put(r.get(0, String.class), r.get(1, String.class));
    }
    LinkedHashSet<Module> order = new LinkedHashSet<>();
    for (String name : installed.keySet()) {
      Module old = from.find(ModuleName.of(name)).orElseThrow(() -> new EngineException(ErrorCode.UNKNOWN_MODULE,
          "module " + name + " is installed but release " + fromRelease + " has no such module"));
      order.addAll(from.dependencyOrder(old));
    }
    List<String> moved = new ArrayList<>();
    for (Module old : order) {
      cancellation.throwIfCancelled();
      String name = old.name().value();
      if (!fromRelease.equals(installed.get(name))) {
        continue; // moved already: by an earlier run that stopped before the database's release was recorded
      }
      Module target = catalog.find(old.name()).orElseThrow(() -> EngineException.withHint(ErrorCode.UNKNOWN_MODULE,
          "module " + name + " does not exist in release " + release,
          "uninstall it first: SELECT * FROM iasql_uninstall('" + name + "')"));
      try (var log = LogContext.put("module", name)) {
        Snapshot before = Snapshot.take(dsl);
        for (String sql : target.upgradeFrom(fromRelease)) {
          upgradeStep(connection, name, sql);
        }
        Snapshot after = Snapshot.take(dsl);
        String oldName = name + "@" + installed.get(name);
        String newName = versioned(target);
        dsl.execute("INSERT INTO iasql_module (name) VALUES (?)", newName);
        dsl.execute("UPDATE iasql_tables SET module = ? WHERE module = ?", newName, oldName);
        dsl.execute("UPDATE iasql_dependencies SET module = ? WHERE module = ?", newName, oldName);
        dsl.execute("UPDATE iasql_dependencies SET dependency = ? WHERE dependency = ?", newName, oldName);
        dsl.execute("DELETE FROM iasql_module WHERE name = ?", oldName);
        for (String t : before.tables()) {
          if (!after.tables().contains(t)) {
            dsl.execute("DELETE FROM iasql_tables WHERE \"table\" = ?", t);
          }
        }
        register(connection, dsl, target, tenantRole, before, after);
      }
      moved.add(name);
      progress.report("upgraded " + name + " from " + fromRelease + " to " + release);
    }
    return moved;
  }

  /**
   * Checks that the installed modules' tables are this release's, as Flyway validates before it reports success: each
   * module's migrations of this release run in a scratch schema inside a savepoint that is then rolled back, and every
   * table they create must exist in {@code public} with the same columns (name, type, nullability). Refuses with the
   * first difference, naming the table and column.
   */
  public void validate(Connection connection) {
    DSLContext dsl = Sql.dsl(connection);
    Set<String> names = installedNames(dsl);
    LinkedHashSet<Module> order = new LinkedHashSet<>();
    for (Module m : catalog.all()) {
      if (!m.platform() && names.contains(m.name().value())) {
        order.addAll(catalog.dependencyOrder(m).stream().filter(d -> !d.platform()).toList());
      }
    }
    if (order.isEmpty()) {
      return;
    }
    Savepoint scratch = savepoint(connection);
    List<String> expected;
    List<String> actual;
    try {
      dsl.execute("CREATE SCHEMA iasql_validate");
      dsl.execute("SET LOCAL search_path = iasql_validate, public, pg_temp");
      for (Module m : order) {
        for (String migration : m.migrations()) {
          Sql.script(connection, migration);
        }
      }
      String columns = "SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)"
          + " || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END FROM pg_attribute a JOIN pg_class c ON c.oid ="
          + " a.attrelid WHERE c.relnamespace = ?::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0"
          + " AND NOT a.attisdropped AND c.relname = ANY (?::text[]) ORDER BY 1";
      String[] tables = dsl.fetch("SELECT relname FROM pg_class WHERE relnamespace = 'iasql_validate'::regnamespace"
          + " AND relkind IN ('r', 'p')").getValues(0, String.class).toArray(String[]::new);
      // With neither schema on the path, types of both print qualified; compare them as if both were public's.
      dsl.execute("SET LOCAL search_path = pg_temp");
      expected = dsl.fetch(columns, "iasql_validate", tables).getValues(0, String.class).stream()
          .map(c -> c.replace("iasql_validate.", "public.")).toList();
      actual = dsl.fetch(columns, "public", tables).getValues(0, String.class);
    } finally {
      rollbackTo(connection, scratch);
    }
    List<String> missing = expected.stream().filter(c -> !actual.contains(c)).toList();
    List<String> extra = actual.stream().filter(c -> !expected.contains(c)).toList();
    if (!missing.isEmpty() || !extra.isEmpty()) {
      String detail = (missing.isEmpty() ? "" : "release " + release + " has " + String.join(", ", missing))
          + (missing.isEmpty() || extra.isEmpty() ? "" : "; ")
          + (extra.isEmpty() ? "" : "the database has " + String.join(", ", extra));
      throw new EngineException(ErrorCode.SCHEMA_MISMATCH, "the database's tables are not those of release "
          + release, detail, "nothing was recorded; call iasql_upgrade() again, and report this if it persists",
          null);
    }
  }

  /**
   * One statement of a module's upgrade step. A step that refuses a row raises {@link ErrorCode#UPGRADE_BLOCKED_BY_ROW}'s
   * SQLSTATE naming it, with a hint; that reaches the user as such, not as an internal error.
   */
  private void upgradeStep(Connection connection, String module, String sql) {
    try {
      Sql.script(connection, sql);
    } catch (DataAccessException e) {
      if (e.getCause() instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null
          && ErrorCode.UPGRADE_BLOCKED_BY_ROW.sqlState().equals(p.getSQLState())) {
        throw new EngineException(ErrorCode.UPGRADE_BLOCKED_BY_ROW, "module " + module + " cannot move to release "
            + release + ": " + p.getServerErrorMessage().getMessage(), null, p.getServerErrorMessage().getHint(), e);
      }
      throw e;
    }
  }

  private List<ModuleTable> uninstallOne(Connection connection, DSLContext dsl, Module m) {
    List<String> tables = dsl.fetch("SELECT \"table\" FROM iasql_tables WHERE split_part(module, '@', 1) = ?",
        m.name().value()).getValues(0, String.class);
    List<ModuleTable> dropped = new ArrayList<>();
    for (String t : tables) {
      dropped.add(new ModuleTable(m.name().value(), t, dsl.fetchCount(table(name("public", t)))));
    }
    for (EngineExtension e : extensions) {
      e.uninstallSql(m).forEach(sql -> Sql.script(connection, sql));
    }
    if (!m.beforeUninstallSql().isBlank()) {
      Sql.script(connection, m.beforeUninstallSql());
    }
    if (!tables.isEmpty()) {
      // One statement, so foreign keys between the module's own tables need no ordering and no CASCADE.
      String drop = (String) dsl.fetchValue("SELECT 'DROP TABLE ' || string_agg(format('public.%I', t), ', ') FROM"
          + " unnest(?::text[]) AS t", (Object) tables.toArray(String[]::new));
      dsl.execute(drop);
    }
    dsl.execute("DELETE FROM iasql_tables WHERE split_part(module, '@', 1) = ?", m.name().value());
    dsl.execute("DELETE FROM iasql_module WHERE split_part(name, '@', 1) = ?", m.name().value());
    return dropped;
  }

  /**
   * Tenants keep their own tables in a schema of their own, which comes first on their search_path: a module table of
   * the same name would be hidden behind theirs, so the install is refused and their table left alone.
   */
  private static void refuseShadowedTables(DSLContext dsl, Module m, Snapshot before, Snapshot after) {
    List<String> added = after.tables().stream().filter(t -> !before.tables().contains(t)).toList();
    if (added.isEmpty()) {
      return;
    }
    var clash = dsl.fetchOptional("SELECT c.relname, n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid ="
        + " c.relnamespace WHERE c.relname = ANY (?::text[]) AND n.nspname NOT IN ('public', 'pg_catalog',"
        + " 'information_schema', 'iasql_engine') AND n.nspname NOT LIKE 'pg\\_%' ORDER BY c.relname LIMIT 1",
        (Object) added.toArray(String[]::new));
    if (clash.isPresent()) {
      String table = clash.get().get(0, String.class);
      String schema = clash.get().get(1, String.class);
      throw new EngineException(ErrorCode.TABLE_COLLISION,
          "module " + m.name() + " cannot be installed: you already have a table named \"" + table + "\" (in schema \""
              + schema + "\"); nothing was installed",
          null, "rename or drop your \"" + table + "\" first: the module's table would be hidden behind it", null);
    }
  }

  private EngineException migrationFailed(DSLContext dsl, Module m, DataAccessException e) {
    if ("42P07".equals(e.sqlState())) {
      Matcher matcher = DUPLICATE_RELATION.matcher(String.valueOf(e.getMessage()));
      String table = matcher.find() ? matcher.group(1) : "?";
      String owner = installedNames(dsl).isEmpty() ? null
          : (String) dsl.fetchValue("SELECT split_part(module, '@', 1) FROM iasql_tables WHERE \"table\" = ?",
              table);
      throw new EngineException(ErrorCode.TABLE_COLLISION,
          "module " + m.name() + " cannot be installed: table \"" + table + "\" already exists"
              + (owner == null ? "" : " and belongs to module " + owner),
          null, owner == null ? "rename or drop the table \"" + table + "\" first"
              : "uninstall " + owner + " first", e);
    }
    return new EngineException(ErrorCode.MODULE_INSTALL_FAILED,
        "module " + m.name() + " failed to install: " + e.sqlState() + " " + rootMessage(e),
        null, "nothing was installed; this is a bug in the module", e);
  }

  private static Savepoint savepoint(Connection connection) {
    try {
      return connection.setSavepoint();
    } catch (SQLException e) {
      throw new DataAccessException(e.getMessage(), e);
    }
  }

  private static void rollbackTo(Connection connection, Savepoint savepoint) {
    try {
      connection.rollback(savepoint);
    } catch (SQLException e) {
      throw new DataAccessException(e.getMessage(), e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /** The modules of this release installed in the database, by name. */
  /** The result of an install with each table's rows counted now, after the import filled them. */
  public static InstallResult recount(Connection connection, InstallResult result) {
    DSLContext dsl = Sql.dsl(connection);
    return new InstallResult(result.installedModules(), result.createdTables().stream()
        .map(t -> new ModuleTable(t.module(), t.table(), dsl.fetchCount(table(name("public", t.table())))))
        .toList());
  }

  private static String tables(int n) {
    return n == 1 ? "1 table" : n + " tables";
  }

  public List<Module> installed(Connection connection) {
    Set<String> names = installedNames(Sql.dsl(connection));
    return catalog.all().stream().filter(m -> names.contains(m.name().value())).toList();
  }

  private static Set<String> installedNames(DSLContext dsl) {
    Object exists = dsl.fetchValue("SELECT to_regclass('public.iasql_module')");
    if (exists == null) {
      return Set.of();
    }
    return new HashSet<>(dsl.fetch("SELECT split_part(name, '@', 1) FROM iasql_module").getValues(0, String.class));
  }

  /**
   * Deletes every row of every installed module's tables, except platform tables and those a module keeps. Tables
   * refer to each other, so each delete runs in a savepoint and a table still referenced waits for the next pass.
   */
  public List<ModuleTable> deleteAllRecords(Connection connection, Progress progress) throws SQLException {
    lock(connection);
    DSLContext dsl = Sql.dsl(connection);
    Map<String, String> pending = new TreeMap<>();
    for (var r : dsl.fetch("SELECT t.\"table\", split_part(t.module, '@', 1) FROM iasql_tables t")) {
      String table = r.get(0, String.class);
      Module m = catalog.find(ModuleName.of(r.get(1, String.class))).orElse(null);
      if (m != null && !m.platform() && !m.keptByDeleteAll().contains(table)) {
        pending.put(table, m.name().value());
      }
    }
    List<ModuleTable> deleted = new ArrayList<>();
    while (!pending.isEmpty()) {
      List<String> done = new ArrayList<>();
      DataAccessException last = null;
      for (Map.Entry<String, String> e : pending.entrySet()) {
        Savepoint sp = connection.setSavepoint();
        try {
          int rows = dsl.deleteFrom(table(name("public", e.getKey()))).execute();
          connection.releaseSavepoint(sp);
          deleted.add(new ModuleTable(e.getValue(), e.getKey(), rows));
          done.add(e.getKey());
        } catch (DataAccessException ex) {
          connection.rollback(sp);
          last = ex;
        }
      }
      if (done.isEmpty()) {
        throw new EngineException(ErrorCode.INTERNAL_ERROR, "cannot delete the rows of " + pending.keySet()
            + ": " + (last == null ? "" : last.getMessage()), null, null, last);
      }
      done.forEach(pending::remove);
    }
    long rows = deleted.stream().mapToLong(ModuleTable::recordCount).sum();
    progress.report("deleted " + rows + (rows == 1 ? " row" : " rows") + " from " + tables(deleted.size()));
    return deleted;
  }

  /**
   * The module a name means: {@code aws_vpc}, or {@code aws_vpc@0.0.20} as IaSQL names it, which must be the version
   * this database's release has (IaSQL too only installed its own release's modules).
   */
  public Module require(String name) {
    int at = name == null ? -1 : name.indexOf('@');
    if (at < 0) {
      return catalog.require(name);
    }
    Module m = catalog.require(name.substring(0, at));
    if (!versioned(m).equals(name)) {
      throw new EngineException(ErrorCode.MODULE_VERSION_NOT_AVAILABLE, "module " + UserText.quote(name)
          + " is not available: this database is at release " + release + ", which has " + versioned(m), null,
          "name it without a version, or as '" + versioned(m) + "'; iasql_upgrade() moves the database to the latest"
              + " release", null);
    }
    return m;
  }

  private String versioned(Module m) {
    return m.name().value() + "@" + (m.platform() ? release : m.version());
  }

  /** Serialises installs and uninstalls within one database (advisory locks are per database). */
  private static void lock(Connection connection) {
    try {
      AdvisoryLocks.lockForTransaction(connection, AdvisoryLocks.Key.INSTALL);
    } catch (SQLException e) {
      throw new DataAccessException(e.getMessage(), e); // as jOOQ reports the statements around it
    }
  }

  /** The public schema's tables, sequences and functions at one moment. */
  private record Snapshot(Set<String> tables, Set<String> sequences, Set<String> functions) {
    static Snapshot take(DSLContext dsl) {
      Set<String> tables = new LinkedHashSet<>();
      Set<String> sequences = new LinkedHashSet<>();
      for (var r : dsl.fetch("SELECT c.relname, c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid ="
          + " c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S') ORDER BY c.oid")) {
        ("S".equals(r.get(1, String.class)) ? sequences : tables).add(r.get(0, String.class));
      }
      Set<String> functions = new HashSet<>(dsl.fetch("SELECT p.oid::regprocedure::text FROM pg_proc p JOIN"
          + " pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.prokind = 'f'"
          + " AND p.prorettype <> 'trigger'::regtype").getValues(0, String.class));
      return new Snapshot(tables, sequences, functions);
    }
  }
}
