package dev.iasql.functions;

import dev.iasql.engine.Call;
import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.spi.ResultColumns;
import dev.iasql.engine.spi.Secret;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Java side of one engine-backed SQL function. */
@FunctionalInterface
interface Handler {
  Result handle(Request request);

  /** One claimed call: which database, its text arguments, who asked, and its cancellation. */
  record Request(Engine engine, String database, List<String> params, String requestedBy, Call call) {
    /** The first argument, which must be there and not blank; others may follow. */
    String firstParam(String what) {
      if (params.isEmpty() || params.get(0) == null || params.get(0).isBlank()) {
        throw missing(what);
      }
      return params.get(0);
    }

    String onlyParam(String what) {
      if (params.size() > 1) {
        throw missing(what);
      }
      return firstParam(what);
    }

    private static EngineException missing(String what) {
      return new EngineException(ErrorCode.INVALID_ARGUMENT, what + " is missing: give one non-empty value");
    }
  }

  /**
   * Rows for {@code RETURNS TABLE}, keyed by column name. Columns in {@code secret} reach the caller once and are
   * kept in the operation log as "(redacted)".
   */
  record Result(List<Map<String, Object>> rows, Set<String> secret) {
    static Result of(List<Map<String, Object>> rows) {
      return new Result(rows, Set.of());
    }

    /** Rows of a result record: its {@link Secret} columns are the secret ones. */
    static Result rows(List<? extends Record> rows) {
      return new Result(rows.stream().map(ResultColumns::row).toList(),
          rows.isEmpty() ? Set.of() : ResultColumns.secret(rows.get(0).getClass()));
    }
  }
}
