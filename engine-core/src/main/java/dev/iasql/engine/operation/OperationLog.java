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
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows of {@code iasql_operation}, the log every call leaves in its database: type, parameters, start and end, and its
 * output or its error as JSON. SQL calls get their row from the bridge (it is their request); calls made through the
 * Java API get one here, so the log is complete whichever way the engine was called.
 */
public final class OperationLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(OperationLog.class);

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

  /**
   * Records the error; a cancelled call is {@code cancelled}, any other {@code error}. What it did before it stopped,
   * if anything, is its output.
   */
  public static void failed(Connection c, long id, EngineException e) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE public.iasql_operation SET status = ?,"
        + " err = ?::jsonb, output = ?::jsonb, end_date = clock_timestamp() WHERE id = ?")) {
      ps.setString(1, e.code() == dev.iasql.engine.error.ErrorCode.CANCELLED ? "cancelled" : "error");
      ps.setString(2, json(errorOf(e)));
      ps.setString(3, e.output().map(OperationLog::json).orElse(null));
      ps.setLong(4, id);
      ps.executeUpdate();
    }
  }

  /** Records what a call did before it stopped, beside the error its caller records. */
  public static void output(Connection c, long id, Object output) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE public.iasql_operation SET output = ?::jsonb"
        + " WHERE id = ?")) {
      ps.setString(1, json(output));
      ps.setLong(2, id);
      ps.executeUpdate();
    }
  }

  /**
   * Names the operation this session runs in its {@code iasql.operation_id} setting, for the whole session (apply
   * commits after each round), so the audit trigger links every row the engine writes to it. The operation is the
   * row this backend claimed ({@code engine_pid}) and still runs. Returns its id, if there is one.
   */
  public static OptionalLong tagSession(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT o.id, pg_catalog.set_config('iasql.operation_id',"
            + " o.opid::text, false) FROM (SELECT id, opid FROM public.iasql_operation"
            + " WHERE engine_pid = pg_catalog.pg_backend_pid() AND status IN ('running', 'cancelling')"
            + " ORDER BY id DESC LIMIT 1) o");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
    }
  }

  /** The request this backend claimed and still runs, as {@link #tagSession} finds it, without tagging; none on error. */
  public static OptionalLong currentRequest(Connection c) {
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM public.iasql_operation"
            + " WHERE engine_pid = pg_catalog.pg_backend_pid() AND status IN ('running', 'cancelling')"
            + " ORDER BY id DESC LIMIT 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
    } catch (SQLException e) {
      LOG.debug("could not read the current request: {}", e.getMessage());
      return OptionalLong.empty();
    }
  }

  /**
   * Ends {@link #tagSession}: the pooled session's next work is another operation's. Never throws: on a connection
   * that broke (the engine stopping, the session killed) there is nothing left to untag, and the call's own error is
   * the one to report.
   */
  public static void untagSession(Connection c) {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.set_config('iasql.operation_id', '', false)")) {
      ps.execute();
    } catch (SQLException e) {
      LOG.debug("could not clear iasql.operation_id: {}", e.getMessage());
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
