package dev.iasql.engine;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The errors every part of the engine gives alike: a bad argument, a stopped engine, an unknown database, a bug. */
final class EngineErrors {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  private EngineErrors() {}

  static void ensureOpen(AtomicBoolean closed) {
    if (closed.get()) {
      throw new EngineException(ErrorCode.ENGINE_STOPPED, "the engine is stopped");
    }
  }

  /** A null where the embedder must give a value: IQ401 naming it, as every other bad argument. */
  static <T> T argument(T value, String name) {
    if (value == null) {
      throw invalid(name + " is null");
    }
    return value;
  }

  static EngineException invalid(String message) {
    return new EngineException(ErrorCode.INVALID_ARGUMENT, message);
  }

  static EngineException notFound(DatabaseName db) {
    return EngineException.withHint(ErrorCode.DATABASE_NOT_FOUND, "there is no IaSQL database named \"" + db + "\"",
        "SELECT * FROM iasql_db_list() lists them");
  }

  /** Ours as it is, anything else as {@link #internalError}. */
  static EngineException coded(String verb, Exception e) {
    return e instanceof EngineException ee ? ee : internalError(verb, e);
  }

  /**
   * What an embedder gets for a failure that is not one of ours (a jOOQ or JDBC error, a bug): a coded exception with
   * the cause, never the library's own type.
   */
  static EngineException internalError(String verb, Exception e) {
    String sqlState = e instanceof SQLException se ? se.getSQLState()
        : e instanceof DataAccessException dae ? dae.sqlState() : null;
    if (e instanceof RuntimeException) {
      LOG.error("{} failed with an internal error", verb, e); // a bug: the stack trace says where
    } else {
      LOG.warn("{} failed: {}", verb, e.getMessage());
    }
    return new EngineException(ErrorCode.INTERNAL_ERROR, verb + " failed: " + e.getMessage()
        + (sqlState == null ? "" : " (SQLSTATE " + sqlState + ")"), null, "the engine log has the stack trace", e);
  }
}
