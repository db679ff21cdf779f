package dev.iasql.engine.kit;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * How a create survives a crash between the cloud's answer and the row's write-back, which every table that apply
 * creates must declare ({@link TableSpec.Builder#survivesCrashBy}): without one, the next apply would create the
 * resource a second time.
 *
 * @param column the unique name's column ({@link Kind#UNIQUE_NAME}); null otherwise
 */
public record CrashSafety(Kind kind, @Nullable String column) {
  public enum Kind {
    /** Create tags the resource with its row; list returns that claim ({@link Row#claim}). Checked on every create. */
    ROW_TAG,
    /** Create sends {@link TableSpec#clientToken}: the cloud answers a repeated create with the first resource. */
    CLIENT_TOKEN,
    /** The user-given name is unique in its region: a row without a cloud id adopts the resource of that name. */
    UNIQUE_NAME
  }

  /**
   * The key of the tag a row-tagged create puts on its resource (engine-aws's {@code RowTag}). It is the engine's, not
   * the user's: a {@link ColumnType#TAGS} column never shows it, and one a user writes there is ignored.
   */
  public static final String ROW_TAG_KEY = "iasql:row";

  public CrashSafety {
    requireNonNull(kind, "kind is null");
    if ((kind == Kind.UNIQUE_NAME) != (column != null)) {
      throw new IllegalArgumentException("a unique name, and only it, names its column");
    }
  }

  public static CrashSafety rowTag() {
    return new CrashSafety(Kind.ROW_TAG, null);
  }

  public static CrashSafety clientToken() {
    return new CrashSafety(Kind.CLIENT_TOKEN, null);
  }

  public static CrashSafety uniqueName(String column) {
    return new CrashSafety(Kind.UNIQUE_NAME, requireNonNull(column, "column is null"));
  }
}
