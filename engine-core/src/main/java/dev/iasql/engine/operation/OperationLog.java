package dev.iasql.engine.operation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iasql.engine.error.EngineException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of {@code iasql_operation}, the log every call leaves in its database: type, parameters, start and end, and its
 * output or its error as JSON. SQL calls get their row from the bridge (it is their request); calls made through the
 * Java API get one here, so the log is complete whichever way the engine was called.
 */
public final class OperationLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OperationLog() {}

  /** Records a call made through the Java API as running; returns its id. */
  public static long started(Connection c, OperationType type, List<String> params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO public.iasql_operation (optype, params, status,"
        + " engine_pid) VALUES (?, ?, 'running', pg_backend_pid()) RETURNING id")) {
      ps.setString(1, type.name());
      ps.setArray(2, c.createArrayOf("text", params.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  public static void done(Connection c, long id, Object output) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE public.iasql_operation SET status = 'done',"
        + " output = ?::jsonb, end_date = clock_timestamp() WHERE id = ?")) {
      ps.setString(1, json(output));
      ps.setLong(2, id);
      ps.executeUpdate();
    }
  }

  /** Records the error; a cancelled call is {@code cancelled}, any other {@code error}. */
  public static void failed(Connection c, long id, EngineException e) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE public.iasql_operation SET status = ?,"
        + " err = ?::jsonb, end_date = clock_timestamp() WHERE id = ?")) {
      ps.setString(1, e.code() == dev.iasql.engine.error.ErrorCode.CANCELLED ? "cancelled" : "error");
      ps.setString(2, json(errorOf(e)));
      ps.setLong(3, id);
      ps.executeUpdate();
    }
  }

  /** An error as the log and the bridge carry it: code (SQLSTATE), message, and detail and hint when present. */
  public static Map<String, String> errorOf(EngineException e) {
    Map<String, String> err = new LinkedHashMap<>();
    err.put("code", e.code().sqlState());
    err.put("message", e.getMessage());
    e.detail().ifPresent(d -> err.put("detail", d));
    e.hint().ifPresent(h -> err.put("hint", h));
    return err;
  }

  public static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }
}
