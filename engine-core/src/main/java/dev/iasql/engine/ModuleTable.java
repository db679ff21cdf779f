package dev.iasql.engine;

import static java.util.Objects.requireNonNull;

/** A table a module created or dropped, with how many rows it held. */
public record ModuleTable(String module, String table, long recordCount) {
  public ModuleTable {
    requireNonNull(module, "module is null");
    requireNonNull(table, "table is null");
  }
}
