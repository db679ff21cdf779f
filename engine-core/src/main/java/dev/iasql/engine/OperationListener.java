package dev.iasql.engine;

import dev.iasql.engine.error.Code;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Hears every operation an engine runs on a user database (install, apply, sync, upgrade …, whether called through
 * SQL or Java): give one to {@link EngineBuilder#operationListener}. Called on the operation's thread: each method
 * must be quick and must not throw (a listener that throws is logged and ignored).
 */
public interface OperationListener {
  OperationListener NONE = new OperationListener() {};

  default void started(Operation operation) {}

  /** One line of progress, as the caller sees it in a NOTICE. */
  default void progress(Operation operation, String message) {}

  default void finished(Operation operation, Duration took) {}

  /** The operation failed or was cancelled, with the code its caller gets. */
  default void failed(Operation operation, Code code, String message, Duration took) {}

  /**
   * One operation.
   *
   * @param id its row in the database's {@code iasql_operation}, when it has one
   * @param database the user database it runs on
   * @param type IaSQL's {@code optype}: {@code INSTALL}, {@code APPLY} …
   */
  record Operation(OptionalLong id, String database, String type) {}
}
