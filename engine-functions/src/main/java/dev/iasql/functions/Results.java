package dev.iasql.functions;

import dev.iasql.engine.spi.ResultColumns;
import dev.iasql.engine.spi.Secret;
import dev.iasql.engine.spi.SqlType;
import java.time.OffsetDateTime;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The results of the platform's SQL functions, one record each: the registry's {@code RETURNS TABLE} columns and the
 * handlers' rows both come from these ({@link ResultColumns}). Names and types are IaSQL v0.0.20's, checked against
 * its {@code create_fns.sql} by {@code SqlSurfaceTest}.
 */
final class Results {
  private Results() {}

  record Installed(@SqlType("character varying") String moduleName,
      @SqlType("character varying") String createdTableName, @SqlType("integer") long recordCount) {}

  record Uninstalled(@SqlType("character varying") String moduleName,
      @SqlType("character varying") String droppedTableName, @SqlType("integer") long recordCount) {}

  /** Apply, sync and their previews. */
  record Changed(String action, String tableName, @Nullable Integer id, String description) {}

  record Available(String moduleName, String moduleVersion, List<String> dependencies) {}

  record InstalledModule(String moduleName, String moduleVersion,
      @SqlType("character varying[]") List<String> dependencies) {}

  record Version(String version) {}

  record Help(String name, String signature, String description, String sampleUsage) {}

  record Connected(String name, String pgUser, @Secret String pgPassword, @Secret String connectionUrl) {}

  record Disconnected(String name) {}

  record Database(String name, String pgUser, String release, String upgradeState, OffsetDateTime createdAt) {}
}
