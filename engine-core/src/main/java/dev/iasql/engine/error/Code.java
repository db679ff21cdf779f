package dev.iasql.engine.error;

/**
 * One error a user can see, with its own SQLSTATE: the engine's are {@link ErrorCode}, a module's come from an enum
 * of its own that it declares with its {@link ErrorBlock} (as Trino's plugins supply an {@code ErrorCodeSupplier}).
 */
public interface Code {
  /** The enum constant's name, such as {@code UNKNOWN_REGION}: logs and tests name it. */
  String name();

  /** Five characters in class {@code IQ}, such as {@code IQ505}: what clients match on, so it never changes. */
  String sqlState();

  Category category();
}
