package dev.iasql.functions;

import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.Engine;
import dev.iasql.engine.sql.AdvisoryLocks;
import dev.iasql.functions.SqlFunction.EngineCall;
import dev.iasql.functions.SqlFunction.PureSql;
import dev.iasql.functions.SqlFunction.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * Renders the SQL side of the bridge: the shared plumbing from {@code bridge.sql} with the Java constants filled in,
 * and one function per {@link SqlFunction}. Only our own constants are written into this SQL, never a user value.
 */
final class BridgeSql {
  /** Advisory lock class an engine holds, exclusively, with the oid of each database it serves (bigint form). */
  static final int PRESENCE_CLASS = AdvisoryLocks.Key.BRIDGE_PRESENCE.classId();
  static final int PRESENCE_ID = AdvisoryLocks.Key.BRIDGE_PRESENCE.objectId();
  /** Advisory lock (two-int form) every running engine holds, shared. */
  static final int ENGINE_ALIVE_CLASS = AdvisoryLocks.Key.ENGINE_ALIVE.classId();
  static final int ENGINE_ALIVE_ID = AdvisoryLocks.Key.ENGINE_ALIVE.objectId();
  /** Advisory lock class of a request: the engine holds (class, id) until it has written the outcome. */
  static final int REQUEST_CLASS = AdvisoryLocks.Key.BRIDGE_REQUEST.classId();
  static final String DEFAULT_PICKUP_TIMEOUT = "10s";
  /** How often a waiting caller looks for new progress lines. */
  static final String PROGRESS_INTERVAL = "500ms";
  /** The group of every database's ring role (made by the engine core with the roles). */
  static final String RINGERS = "iasql_ringers";
  static final String HELP_PLACEHOLDER = "-- generated from the registry";

  /**
   * Raises the engine's reported error ({@code _err}) with its own SQLSTATE, and DETAIL and HINT only when present
   * (PostgreSQL prints an empty one as an empty line, and refuses a null one).
   */
  private static final String RAISE_REPORTED = """
        IF _err IS NOT NULL THEN
          IF _err->>'detail' IS NOT NULL AND _err->>'hint' IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = _err->>'code', MESSAGE = _err->>'message', DETAIL = _err->>'detail',
              HINT = _err->>'hint';
          ELSIF _err->>'detail' IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = _err->>'code', MESSAGE = _err->>'message', DETAIL = _err->>'detail';
          ELSIF _err->>'hint' IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = _err->>'code', MESSAGE = _err->>'message', HINT = _err->>'hint';
          ELSE
            RAISE EXCEPTION USING ERRCODE = _err->>'code', MESSAGE = _err->>'message';
          END IF;
        END IF;
      """;

  private BridgeSql() {}

  /** The schema, queue triggers and call function. Idempotent. */
  static String plumbing() {
    return fill(resource("bridge.sql"));
  }

  private static String resource(String name) {
    try (InputStream in = BridgeSql.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String fill(String sql) {
    for (ErrorCode code : ErrorCode.values()) {
      sql = sql.replace("@" + code.name() + "@", code.sqlState());
    }
    sql = sql.replace("@PRESENCE_CLASS@", Integer.toString(PRESENCE_CLASS))
        .replace("@PRESENCE_ID@", Integer.toString(PRESENCE_ID))
        .replace("@REQUEST_CLASS@", Integer.toString(REQUEST_CLASS))
        .replace("@ENGINE_ALIVE_CLASS@", Integer.toString(ENGINE_ALIVE_CLASS))
        .replace("@ENGINE_ALIVE_ID@", Integer.toString(ENGINE_ALIVE_ID))
        .replace("@PICKUP_TIMEOUT@", DEFAULT_PICKUP_TIMEOUT)
        .replace("@PROGRESS_INTERVAL@", PROGRESS_INTERVAL)
        .replace("@METADATA_DATABASE@", Engine.METADATA_DATABASE)
        .replace("@RINGERS@", RINGERS);
    java.util.regex.Matcher left = java.util.regex.Pattern.compile("@[A-Z_]+@").matcher(sql);
    if (left.find()) {
      throw new IllegalStateException("bridge.sql has a token with no value: " + left.group());
    }
    return sql;
  }

  /** The doorbell, installed in the metadata database only (see doorbell.sql). Idempotent. */
  static String doorbell() {
    return fill(resource("doorbell.sql"));
  }

  /** Names the plumbing this build installs, so that a database's can be told apart from another build's. */
  static String plumbingDigest() {
    return Digest.VALUE;
  }

  /** Computed once: every attach compares with it. */
  private static final class Digest {
    static final String VALUE = compute();

    private static String compute() {
      try {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
            .digest(plumbing().getBytes(StandardCharsets.UTF_8)));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The user-facing functions of one scope; nobody but the admin may run them until granted. */
  static String functions(Scope scope) {
    // Signatures an older build installed: an overload left behind would make calls ambiguous.
    String retired = scope == Scope.METADATA ? "DROP FUNCTION IF EXISTS public.iasql_connect(text);\n" : "";
    return retired + FunctionRegistry.in(scope).stream().map(BridgeSql::function).collect(Collectors.joining("\n"));
  }

  /** The key of the one value a function with a scalar result returns (columns such as {@code text}). */
  static final String SCALAR = "value";

  static String function(SqlFunction f) {
    boolean returnsRows = f.columns().contains(" ");
    String header = "CREATE OR REPLACE FUNCTION public." + f.name() + "(" + f.parameters() + ") RETURNS "
        + (returnsRows ? "TABLE (" + f.columns() + ")" : f.columns().isEmpty() ? "void" : f.columns()) + "\n";
    String body;
    if (f.body() instanceof EngineCall call) {
      body = header
          + "LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$\n"
          + "DECLARE\n"
          + "  _outcome jsonb;\n"
          + "  _err jsonb;\n"
          + "  _arg text;\n"
          + "  _arg_n integer;\n"
          + "BEGIN\n"
          + argumentChecks(f)
          + "  _outcome := iasql_engine.call(" + literal(call.operation()) + ", " + call.paramsExpression() + ");\n"
          + "  _err := _outcome->'err';\n"
          + RAISE_REPORTED
          + (returnsRows ? "  RETURN QUERY SELECT * FROM jsonb_to_recordset(_outcome->'output') AS r(" + f.columns()
              + ");\n" : f.columns().isEmpty() ? "  RETURN;\n"
              : "  RETURN (_outcome->'output'->0->>'" + SCALAR + "')::" + f.columns() + ";\n")
          + "END\n$fn$;\n";
    } else {
      String sql = ((PureSql) f.body()).sql();
      if (sql.equals(HELP_PLACEHOLDER)) {
        sql = help();
      }
      body = header + "LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$\n" + sql + "\n$fn$;\n";
    }
    // A signature names types only: defaults belong to the definition.
    String signature = f.parameters().replaceAll("(?i)\\s+DEFAULT\\s+[^,]+", "");
    return body + "REVOKE ALL ON FUNCTION public." + f.name() + "(" + signature + ") FROM PUBLIC;\n";
  }

  /**
   * Refuses arguments bigger than the function's {@link SqlFunction.Limits} before anything is queued: the engine,
   * the operation log and the server log then never see them. Every parameter must be {@code text} or {@code text[]},
   * so a new parameter type cannot slip through without a limit.
   */
  static String argumentChecks(SqlFunction f) {
    SqlFunction.Limits limits = f.limits();
    String code = literal(ErrorCode.ARGUMENT_TOO_LARGE.sqlState());
    String hint = literal(limits.hint());
    StringBuilder sql = new StringBuilder();
    for (String declared : f.parameters().split(",")) {
      String[] words = declared.replaceAll("(?i)\\s+DEFAULT\\s+.*$", "").trim().split("\\s+");
      if (words.length == 1 && words[0].isEmpty()) {
        continue;
      }
      int at = words[0].equalsIgnoreCase("VARIADIC") ? 1 : 0;
      if (words.length != at + 2 || !words[at].matches("_[a-z_]+")) {
        throw new IllegalStateException(f.name() + ": cannot read the parameter \"" + declared + "\"");
      }
      String name = words[at];
      String type = words[at + 1].toLowerCase(java.util.Locale.ROOT);
      if (type.equals("text")) {
        sql.append("  IF octet_length(").append(name).append(") > ").append(limits.maxBytes()).append(" THEN\n")
            .append("    RAISE EXCEPTION ").append(literal("argument " + name + " of " + f.name()
                + " is % bytes long; the limit is " + limits.maxBytes() + " bytes"))
            .append(", octet_length(").append(name).append(")\n")
            .append("      USING ERRCODE = ").append(code).append(", HINT = ").append(hint).append(";\n")
            .append("  END IF;\n");
      } else if (type.equals("text[]")) {
        sql.append("  IF cardinality(").append(name).append(") > ").append(limits.maxValues()).append(" THEN\n")
            .append("    RAISE EXCEPTION ").append(literal("argument " + name + " of " + f.name()
                + " has % values; the limit is " + limits.maxValues()))
            .append(", cardinality(").append(name).append(")\n")
            .append("      USING ERRCODE = ").append(code).append(", HINT = ").append(hint).append(";\n")
            .append("  END IF;\n")
            .append("  _arg_n := 0;\n")
            .append("  FOREACH _arg IN ARRAY coalesce(").append(name).append(", '{}') LOOP\n")
            .append("    _arg_n := _arg_n + 1;\n")
            .append("    IF octet_length(_arg) > ").append(limits.maxBytes()).append(" THEN\n")
            .append("      RAISE EXCEPTION ").append(literal("value % of argument " + name + " of " + f.name()
                + " is % bytes long; the limit is " + limits.maxBytes() + " bytes"))
            .append(", _arg_n, octet_length(_arg)\n")
            .append("        USING ERRCODE = ").append(code).append(", HINT = ").append(hint).append(";\n")
            .append("    END IF;\n")
            .append("  END LOOP;\n");
      } else {
        throw new IllegalStateException(f.name() + ": no size limit is defined for a parameter of type " + type);
      }
    }
    return sql.toString();
  }

  /**
   * The platform's functions, in the registry's order, then the installed modules' own: those are known by the
   * comment their install puts on them ({@link FunctionRegistry#installSql}), on a function of {@code public} owned
   * by the engine's role (a tenant's own commented function is not listed).
   */
  private static String help() {
    int[] n = {0};
    return FunctionRegistry.in(Scope.USER_DATABASE).stream()
        .map(f -> "(" + ++n[0] + ", " + literal(f.helpName()) + ", " + literal(f.helpSignature()) + ", "
            + literal(f.description()) + ", " + literal(f.sampleUsage()) + ")")
        .collect(Collectors.joining(",\n    ", "SELECT h.name, h.signature, h.description, h.sample_usage FROM (\n"
            + "  VALUES\n    ", """

              UNION ALL
              SELECT 2147483647, p.proname::text, p.proname || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')',
                d.description, 'SELECT * FROM ' || p.proname || '(…)'
              FROM pg_catalog.pg_proc p
              JOIN pg_catalog.pg_description d ON d.objoid = p.oid
                AND d.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objsubid = 0
              WHERE p.pronamespace = 'public'::pg_catalog.regnamespace
                AND p.proowner = (SELECT s.nspowner FROM pg_catalog.pg_namespace s WHERE s.nspname = 'iasql_engine')
            ) AS h(n, name, signature, description, sample_usage)
            ORDER BY h.n, h.name"""));
  }

  /** A SQL string literal of one of our own constants. */
  static String literal(String s) {
    if (s.contains("$fn$")) {
      throw new IllegalArgumentException("a constant may not contain $fn$");
    }
    return "'" + s.replace("'", "''") + "'";
  }
}
