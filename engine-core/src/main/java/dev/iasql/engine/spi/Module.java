package dev.iasql.engine.spi;

import dev.iasql.engine.error.ErrorBlock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A unit users install into a database: tables, functions and the mappers that link its tables to the cloud.
 *
 * <p>Abstract in name and version only, so that a new kind of contribution breaks no module. Modules are found with
 * {@link java.util.ServiceLoader}; list the class in {@code META-INF/services/dev.iasql.engine.spi.Module}.
 *
 * <p>Install runs {@link #migrations()} in order, as the database's admin, inside the install transaction. The engine
 * finds the tables and functions they created by comparing the catalogue before and after, so a module never keeps a
 * hand-written list: it records the tables in {@code iasql_tables}, grants the tenant role access, and audits changes.
 */
public interface Module {
  ModuleName name();

  /** The release this module belongs to, such as {@code 0.0.20}. */
  String version();

  default List<ModuleName> dependencies() {
    return List.of();
  }

  /** SQL scripts run at install, in order. Only the module's own SQL: never a user value. */
  default List<String> migrations() {
    return List.of();
  }

  /** SQL run at uninstall before the module's tables are dropped, for objects that are not tables. */
  default String beforeUninstallSql() {
    return "";
  }

  /**
   * Platform modules are installed in every new database, cannot be uninstalled, are not audited, and their tables are
   * read-only for the tenant.
   */
  default boolean platform() {
    return false;
  }

  /** Tables the tenant may read but not change, such as cloud-only lists. */
  default Set<String> readOnlyTables() {
    return Set.of();
  }

  /**
   * SQL that moves this module's tables, in place and without losing a row, from the schema the same module had at
   * an older release (its {@link #version()} is the newer one). Runs as admin in the upgrade's transaction, in
   * dependency order, after the modules this one depends on. Empty when nothing changed.
   */
  default List<String> upgradeFrom(String release) {
    return List.of();
  }

  /** How this module's tables map to the cloud; apply, sync and install's import use them. */
  default List<Mapper<?>> mappers() {
    return List.of();
  }

  /** The module that holds the cloud account (credentials, regions) contributes it here; at most one is installed. */
  default Optional<CloudAccount> account() {
    return Optional.empty();
  }

  /** Columns, by table, whose values never reach the audit log, the operation log or an error: credentials. */
  default Map<String, Set<String>> secretColumns() {
    return Map.of();
  }

  /**
   * Checks, when the engine is built, what the module needs beyond its SQL (the SDK clients it calls, on the class
   * path), so a missing one fails {@code build()} rather than a user's first apply.
   *
   * @throws dev.iasql.engine.error.EngineException IQ209 naming what is missing
   */
  default void validate() {}

  /**
   * SQL functions this module adds that call into the engine ({@code log_group_tail(name)}): installed with the
   * module by the SQL function bridge, dropped at its uninstall.
   */
  default List<Rpc<?>> rpcs() {
    return List.of();
  }

  /**
   * The block of SQLSTATEs this module's family owns and the codes it raises there (the AWS modules: IQ500-IQ599).
   * Checked at {@code build()}: a code outside its block, or two blocks that overlap, fail it with IQ209.
   */
  default Optional<ErrorBlock> errorBlock() {
    return Optional.empty();
  }

  /** Tables {@code delete_all_records()} keeps, such as credentials and regions. */
  default Set<String> keptByDeleteAll() {
    return Set.of();
  }
}
