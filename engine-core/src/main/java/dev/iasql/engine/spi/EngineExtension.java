package dev.iasql.engine.spi;

import dev.iasql.engine.Engine;
import java.util.List;
import java.util.Set;

/**
 * Something that runs beside the engine for every database it serves, such as the SQL function bridge. Found with
 * {@link java.util.ServiceLoader} or given to the builder. Calls come in order: start, then attach/detach per database,
 * then close; attach may come from several threads for different databases.
 */
public interface EngineExtension {
  /** The metadata database is migrated and the engine ready; user databases are attached next. */
  default void start(Engine engine, AttachedDatabase metadata) {}

  /** The engine now serves this database (at start, or right after it was created). */
  default void attach(AttachedDatabase database) {}

  /** The engine stops serving this database (before it is dropped, or at close). Must not throw. */
  default void detach(String databaseName) {}

  /** The engine is closing: end in-flight work with an error, never leave a caller hanging. Must not throw. */
  default void close() {}

  /**
   * SQL run as the database's owner at a module's install, right after the module's own, so that what it creates is
   * the module's (the tenant gets EXECUTE on its functions): the SQL function bridge adds the module's {@link
   * Module#rpcs()} here. Only the extension's own SQL, never a user value.
   */
  default List<String> installSql(Module module) {
    return List.of();
  }

  /** SQL run at a module's uninstall, before its tables are dropped: undoes {@link #installSql}. */
  default List<String> uninstallSql(Module module) {
    return List.of();
  }

  /** What {@link Engine#health()} reports of this extension; {@link Status#NONE} for one with nothing to say. */
  default Status status() {
    return Status.NONE;
  }

  /**
   * @param notServed databases this extension should serve but does not now (the bridge's listener is down)
   * @param waiting requests received and waiting for a worker
   */
  record Status(Set<String> notServed, int waiting) {
    public static final Status NONE = new Status(Set.of(), 0);

    public Status {
      notServed = Set.copyOf(notServed);
    }
  }
}
