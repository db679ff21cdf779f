package dev.iasql.engine;

import java.util.List;

/** What an uninstall did: every table it dropped, with the rows it held. */
public record UninstallResult(List<String> uninstalledModules, List<ModuleTable> droppedTables) {
  public UninstallResult {
    uninstalledModules = List.copyOf(uninstalledModules);
    droppedTables = List.copyOf(droppedTables);
  }
}
