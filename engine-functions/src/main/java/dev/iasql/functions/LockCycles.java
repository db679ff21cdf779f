package dev.iasql.functions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the direct calls whose work waits for a lock their own caller's transaction holds, while that transaction
 * waits for the call: a cycle PostgreSQL's detector cannot see, since the caller waits on a socket. Every running
 * call is looked at in one statement each half second (locks are cluster-wide, so in the metadata database): a
 * statement per call took a snapshot of the whole lock table two or more times per call, hundreds a second with many
 * databases busy.
 */
final class LockCycles {
  /**
   * The calls (by their position in the arrays, from 1) whose engine backend waits, directly or through others up to 4 deep, for
   * the caller's. Only backends waiting for a lock at all are followed: one snapshot of the lock table when none is.
   */
  private static final String BLOCKED_BY_CALLER = "WITH RECURSIVE"
      + " waiting AS MATERIALIZED (SELECT DISTINCT l.pid FROM pg_catalog.pg_locks l WHERE NOT l.granted),"
      + " calls(n, engine_pid, caller_pid) AS (SELECT t.n, t.e, t.c"
      + "   FROM unnest(?::integer[], ?::integer[]) WITH ORDINALITY AS t(e, c, n) WHERE t.e IN (SELECT pid FROM waiting)),"
      + " chain(n, caller_pid, pid, depth) AS (SELECT n, caller_pid, engine_pid, 1 FROM calls"
      + "   UNION ALL SELECT c.n, c.caller_pid, b.pid, c.depth + 1"
      + "   FROM chain c, unnest(pg_catalog.pg_blocking_pids(c.pid)) AS b(pid) WHERE c.depth < 4 AND b.pid <> c.caller_pid)"
      + " SELECT DISTINCT n FROM chain c WHERE c.caller_pid = ANY (pg_catalog.pg_blocking_pids(c.pid))";

  private LockCycles() {}

  /** Which of {@code calls} (each with its engine backend known) wait for their caller: their indexes. */
  static Set<Integer> blockedByTheirCallers(Connection metadata, List<Wire.Call> calls) throws SQLException {
    Integer[] engine = new Integer[calls.size()];
    Integer[] caller = new Integer[calls.size()];
    for (int i = 0; i < engine.length; i++) {
      engine[i] = calls.get(i).enginePid;
      caller[i] = calls.get(i).callerPid;
    }
    Set<Integer> found = new HashSet<>();
    try (PreparedStatement ps = metadata.prepareStatement(BLOCKED_BY_CALLER)) {
      ps.setArray(1, metadata.createArrayOf("integer", engine));
      ps.setArray(2, metadata.createArrayOf("integer", caller));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getInt(1) - 1); // WITH ORDINALITY counts from 1
        }
      }
    }
    return found;
  }
}
