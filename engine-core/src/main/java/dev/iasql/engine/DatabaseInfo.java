package dev.iasql.engine;

import java.time.OffsetDateTime;

/** A user database as {@code iasql_db_list()} shows it. */
public record DatabaseInfo(String name, String pgUser, String release, String upgradeState, OffsetDateTime createdAt) {}
