package dev.iasql.engine.spi;

/** How a cloud resource differs from its DB row. */
public enum Difference {
  /** Nothing to do. */
  NONE,
  /** Only fields the cloud owns differ (a VPC's state, an id): the row is corrected, the cloud never changed. */
  CLOUD_FIELDS,
  /** Fields a user sets differ and the cloud can change them in place. */
  UPDATE,
  /** Fields a user sets differ and the cloud cannot change them: delete and create again. */
  REPLACE
}
