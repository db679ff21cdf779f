package dev.iasql.engine;

import java.util.List;

/** A module as {@code iasql_modules_list()} shows it. */
public record ModuleInfo(String name, String version, List<String> dependencies) {
  public ModuleInfo {
    dependencies = List.copyOf(dependencies);
  }
}
