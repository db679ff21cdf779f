package dev.iasql.engine.kit;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One column of a {@link TableSpec}: name, type, nullability, default, role and rules. Built with the factories and
 * the {@code with}-style methods, each returning a new value:
 *
 * <pre>{@code
 * Column name = Column.text("log_group_name").notNull().replacedOnChange().matches("^[.\\-_/#A-Za-z0-9]{1,512}$");
 * }</pre>
 *
 * @param defaultSql the column's DEFAULT, module SQL (never a user value); null for none
 * @param check a CHECK condition on this column, module SQL; null for none
 * @param replaceReason why a change replaces the resource, shown in the preview; null when it changes in place
 * @param defaultedByCloud a NULL in the row means "what the cloud picks": the row takes the cloud's value, no change
 */
public record Column(String name, ColumnType type, boolean nullable, @Nullable String defaultSql, Role role,
    @Nullable String check, @Nullable String replaceReason, boolean defaultedByCloud) {
  public Column {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(role, "role is null");
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("column name " + name + " is not lower snake case");
    }
    if (role != Role.USER && replaceReason != null) {
      throw new IllegalArgumentException("column " + name + ": only a user column can replace its resource");
    }
    if (role != Role.USER && !nullable && defaultSql == null) {
      throw new IllegalArgumentException("column " + name + ": a " + role + " column is NULL until apply, unless it"
          + " has a DEFAULT");
    }
  }

  public static Column of(String name, ColumnType type) {
    return new Column(name, type, true, null, Role.USER, null, null, false);
  }

  public static Column text(String name) {
    return of(name, ColumnType.TEXT);
  }

  public Column notNull() {
    return new Column(name, type, false, defaultSql, role, check, replaceReason, defaultedByCloud);
  }

  public Column defaultSql(String sql) {
    return new Column(name, type, nullable, requireNonNull(sql, "sql is null"), role, check, replaceReason,
        defaultedByCloud);
  }

  public Column cloudAssigned() {
    return new Column(name, type, nullable, defaultSql, Role.CLOUD_ASSIGNED, check, replaceReason, defaultedByCloud);
  }

  public Column writeOnly() {
    return new Column(name, type, nullable, defaultSql, Role.WRITE_ONLY, check, replaceReason, defaultedByCloud);
  }

  /** Set by the user, but left out of the cloud's bulk read ({@link Role#USER_UNLISTED}). */
  public Column unlisted() {
    return new Column(name, type, nullable, defaultSql, Role.USER_UNLISTED, check, replaceReason, defaultedByCloud);
  }

  /** A change replaces the resource, because the cloud cannot change it in place. */
  public Column replacedOnChange() {
    return new Column(name, type, nullable, defaultSql, role, check, name + " cannot change in place",
        defaultedByCloud);
  }

  /** NULL means the cloud's default: the row is filled in with what the cloud picked. */
  public Column cloudPicksDefault() {
    return new Column(name, type, nullable, defaultSql, role, check, replaceReason, true);
  }

  /** A CHECK on this column (module SQL naming it quoted, never a user value); several are joined with AND. */
  public Column check(String condition) {
    requireNonNull(condition, "condition is null");
    return new Column(name, type, nullable, defaultSql, role, check == null ? condition
        : "(" + check + ") AND (" + condition + ")", replaceReason, defaultedByCloud);
  }

  /** A CHECK on the length of a text value (PostgreSQL's regular expressions count repetitions to 255 only). */
  public Column maxLength(int characters) {
    return check("char_length(" + Ddl.quote(name) + ") <= " + characters);
  }

  /** A CHECK that a number is within AWS's documented range, both ends included. */
  public Column between(long min, long max) {
    return check(Ddl.quote(name) + " BETWEEN " + min + " AND " + max);
  }

  /** A CHECK that the value is one of AWS's enumeration. */
  public Column oneOf(String... values) {
    return check(Ddl.quote(name) + " IN (" + Arrays.stream(values).map(Ddl::literal)
        .collect(Collectors.joining(", ")) + ")");
  }

  /** A CHECK that the value matches AWS's name rule, a POSIX regular expression. */
  public Column matches(String regex) {
    return check(Ddl.quote(name) + " ~ " + Ddl.literal(regex));
  }

  /** Whether the value is read back from the cloud (and so compared). */
  boolean readable() {
    return role != Role.WRITE_ONLY;
  }
}
