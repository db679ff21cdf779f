package dev.iasql.functions;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.spi.ResultColumns;

/**
 * One SQL function users call, described once: its SQL signature, its help text, and whether the engine or SQL runs
 * it. The installed SQL and {@code iasql_help()} are both generated from these descriptions.
 *
 * @param name SQL name, such as {@code iasql_install}
 * @param parameters SQL parameter list, such as {@code VARIADIC _mods text[]}
 * @param columns result columns of {@code RETURNS TABLE (...)}, from a result record; a single type name (such as
 *     {@code text}) for a scalar result, empty for {@code void}
 * @param helpName short name shown by iasql_help, such as {@code install}
 * @param helpSignature signature shown by iasql_help
 * @param description one line for iasql_help
 * @param sampleUsage a statement users can paste
 * @param body what runs: an engine operation, or SQL
 * @param limits how big the arguments of an engine-backed call may be, checked before anything is queued
 */
record SqlFunction(
    Scope scope,
    String name,
    String parameters,
    String columns,
    String helpName,
    String helpSignature,
    String description,
    String sampleUsage,
    Body body,
    Limits limits) {
  SqlFunction {
    requireNonNull(scope, "scope is null");
    requireNonNull(name, "name is null");
    requireNonNull(parameters, "parameters is null");
    requireNonNull(columns, "columns is null");
    requireNonNull(body, "body is null");
    requireNonNull(limits, "limits is null");
  }

  /**
   * A function whose arguments are names (modules, databases, releases), {@link Limits#NAMES}, and whose rows are
   * {@code result} records: its columns come from the record ({@link ResultColumns}).
   */
  SqlFunction(Scope scope, String name, String parameters, Class<? extends Record> result, String helpName,
      String helpSignature, String description, String sampleUsage, Body body) {
    this(scope, name, parameters, ResultColumns.of(result), helpName, helpSignature, description, sampleUsage, body);
  }

  /** A function whose arguments are names (modules, databases, releases): {@link Limits#NAMES}. */
  SqlFunction(Scope scope, String name, String parameters, String columns, String helpName, String helpSignature,
      String description, String sampleUsage, Body body) {
    this(scope, name, parameters, columns, helpName, helpSignature, description, sampleUsage, body, Limits.NAMES);
  }

  /**
   * The most a caller may pass. A tenant could otherwise hand the engine hundreds of megabytes per call (queued, parsed,
   * held in memory and logged); no honest call comes near these.
   *
   * @param maxBytes the most bytes of one text value (each element of an array counts alone)
   * @param maxValues the most elements of an array argument
   * @param hint what the caller can do, shown as the error's HINT
   */
  record Limits(int maxBytes, int maxValues, String hint) {
    /**
     * Names are at most 63 characters (PostgreSQL identifiers), 255 bytes leaves room for any typo (and for multi-byte
     * characters); 256 names are more than a release has modules, repeats included.
     */
    static final Limits NAMES = new Limits(255, 256,
        "the arguments are names: modules, databases and releases are short identifiers (at most 63 characters)");

    Limits {
      requireNonNull(hint, "hint is null");
      if (maxBytes <= 0 || maxValues <= 0) {
        throw new IllegalArgumentException("limits must be positive");
      }
    }
  }

  /** Where a function is installed. */
  enum Scope {
    /** Every user database; callable by its tenant role. */
    USER_DATABASE,
    /** The metadata database; callable by the cluster's admin only. */
    METADATA
  }

  sealed interface Body permits EngineCall, PureSql {}

  /**
   * Runs in the engine through the bridge. {@code paramsExpression} builds the text[] of arguments from the SQL
   * parameters.
   */
  record EngineCall(String operation, String paramsExpression) implements Body {}

  /** Runs as plain SQL (LANGUAGE sql, invoker's rights): works even while the engine is down. */
  record PureSql(String sql) implements Body {}
}
