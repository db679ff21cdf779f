package dev.iasql.engine;

import java.util.List;

/**
 * What an upgrade did.
 *
 * @param database the database
 * @param fromRelease the release it was at (or the one recorded when a stopped upgrade was resumed)
 * @param toRelease the release it is at now
 * @param upgradedModules the modules whose schema moved, in the order they moved; empty when it was up to date
 */
public record UpgradeResult(String database, String fromRelease, String toRelease, List<String> upgradedModules) {
  public UpgradeResult {
    upgradedModules = List.copyOf(upgradedModules);
  }

  /** The line {@code iasql_upgrade()} returns. */
  public String message() {
    return fromRelease.equals(toRelease) && upgradedModules.isEmpty()
        ? "database " + database + " is up to date at release " + toRelease
        : "database " + database + " upgraded from release " + fromRelease + " to " + toRelease;
  }
}
