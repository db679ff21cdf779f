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

  /** What IaSQL v0.0.20's {@code iasql_upgrade()} answers for a database at the latest release. */
  public static final String UP_TO_DATE = "Up to date";

  /** The line {@code iasql_upgrade()} returns: IaSQL's {@value #UP_TO_DATE}, or what moved. */
  public String message() {
    return upToDate() ? UP_TO_DATE
        : "database " + database + " upgraded from release " + fromRelease + " to " + toRelease;
  }

  /** Whether the database was at the latest release already, so nothing was done. */
  public boolean upToDate() {
    return fromRelease.equals(toRelease) && upgradedModules.isEmpty();
  }
}
