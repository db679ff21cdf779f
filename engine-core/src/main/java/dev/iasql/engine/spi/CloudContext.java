package dev.iasql.engine.spi;

import java.util.List;

/**
 * What one operation on one database may use of the cloud: built per operation from that database's own account
 * tables, immutable, and never shared with another database.
 */
public interface CloudContext {
  /** The database this context belongs to; resources created for its rows are tagged with it. */
  String database();

  /** The enabled regions, in a stable order: what reads and writes may touch. */
  List<String> regions();

  /** The region new rows get when they name none. */
  String defaultRegion();

  /**
   * A cloud client of the given type for one region, such as an AWS SDK {@code Ec2Client}. Clients are cached by
   * database, credentials and region, never across databases.
   */
  <T> T client(Class<T> type, String region);

  /** How many cloud calls one operation makes at once (reads per table and region, independent writes). */
  default int maxConcurrency() {
    return 16;
  }
}
