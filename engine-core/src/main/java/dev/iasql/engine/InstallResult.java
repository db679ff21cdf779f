package dev.iasql.engine;

import java.util.List;

/** What an install did: every table it created, by module, in install order. Empty when all were installed. */
public record InstallResult(List<String> installedModules, List<ModuleTable> createdTables) {
  public InstallResult {
    installedModules = List.copyOf(installedModules);
    createdTables = List.copyOf(createdTables);
  }
}
