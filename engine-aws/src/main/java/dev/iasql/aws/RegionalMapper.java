package dev.iasql.aws;

import dev.iasql.engine.spi.Mapper;
import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * A mapper of a regional table whose rows have a serial {@code id}: the value says its region and row id itself, and
 * its row is deleted by id.
 */
public interface RegionalMapper<E extends RegionalMapper.Row> extends Mapper<E> {
  /** A row or resource value of such a table (a record with these components). */
  interface Row {
    /** The row id; null for values from the cloud. */
    @Nullable Integer id();

    String region();
  }

  @Override
  default String region(E e) {
    return e.region();
  }

  @Override
  default @Nullable Integer rowId(E e) {
    return e.id();
  }

  @Override
  default void deleteDb(Connection c, E db) throws SQLException {
    Jdbc.deleteRow(c, table(), db.id());
  }
}
