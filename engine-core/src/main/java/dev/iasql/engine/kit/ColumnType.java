package dev.iasql.engine.kit;

/**
 * The SQL type of a column and the Java type of its values in a {@link Row}. Typed so that PostgreSQL refuses a bad
 * value at INSERT ({@code 10.0.0.300/16} is no {@code cidr}), not apply after its retries.
 */
public enum ColumnType {
  /** {@code character varying}; values are {@link String}s. */
  TEXT("character varying"),
  /** {@code integer}; values are {@link Integer}s. */
  INTEGER("integer"),
  /** {@code bigint}; values are {@link Long}s. */
  BIGINT("bigint"),
  /** {@code boolean}; values are {@link Boolean}s. */
  BOOLEAN("boolean"),
  /** {@code timestamp with time zone}; values are {@link java.time.Instant}s. */
  TIMESTAMPTZ("timestamp with time zone"),
  /** {@code cidr} (a network address); values are {@link String}s as PostgreSQL prints them. */
  CIDR("cidr"),
  /** {@code inet} (a host address); values are {@link String}s as PostgreSQL prints them. */
  INET("inet"),
  /**
   * {@code json}, compared by meaning as AWS normalises policies: key order, the order of array elements, and a
   * one-element array versus its element do not count. Values are JSON text ({@link String}).
   */
  JSON("json"),
  /** {@code json} holding an object of strings, compared as a map; values are {@code Map<String, String>}. */
  TAGS("json");

  private final String sql;

  ColumnType(String sql) {
    this.sql = sql;
  }

  /** The type as the DDL names it. */
  public String sql() {
    return sql;
  }

  /** Whether the DB reads it through its text form and writes it with a cast from text. */
  boolean viaText() {
    return this == CIDR || this == INET || this == JSON || this == TAGS;
  }
}
