package dev.iasql.engine.metadata;

import java.time.OffsetDateTime;

/** One user database as the metadata database records it. */
public record DatabaseRecord(
    String name, String pgUser, String release, String lifecycle, String upgradeState, OffsetDateTime createdAt) {
  public boolean ready() {
    return "ready".equals(lifecycle);
  }
}
