package dev.iasql.engine.spi;

import static java.util.Objects.requireNonNull;

/**
 * Which row a cloud resource was created for, as the mapper tagged it at create: database and row id. After a crash
 * between the cloud's create and the row's write-back, the next apply or sync finds the resource by this claim and
 * adopts it for its row, instead of creating it twice (apply) or dropping the row and importing the resource as a
 * new one (sync).
 */
public record RowClaim(String database, int rowId) {
  public RowClaim {
    requireNonNull(database, "database is null");
  }
}
