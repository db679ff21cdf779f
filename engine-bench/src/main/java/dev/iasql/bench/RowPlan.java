package dev.iasql.bench;

/**
 * How many rows the upgrade bench inserts so that the module tables hold a target number of rows in all: the rows the
 * installs already imported from the cloud count, {@code groups} security groups are inserted, and rules make up the
 * rest, spread over the inserted groups as evenly as possible (the first {@code rules % groups} groups get one more).
 *
 * @param existing rows the module tables held before the bench inserted any (the account, what the installs imported)
 * @param groups security groups to insert
 * @param rules security group rules to insert
 */
record RowPlan(long existing, int groups, int rules) {
  /**
   * At most this many rules per group: each rule of a group gets its own {@code 10.x.y.0/24}, which keeps the rules
   * of a group distinct under 0.0.18's unique constraint whatever their ports.
   */
  static final int MAX_RULES_PER_GROUP = 65_536;

  RowPlan {
    if (existing < 0 || groups <= 0 || rules < 0) {
      throw new IllegalArgumentException("a plan needs existing >= 0, groups > 0 and rules >= 0, not " + existing
          + ", " + groups + ", " + rules);
    }
    if (rules > (long) groups * MAX_RULES_PER_GROUP) {
      throw new IllegalArgumentException(rules + " rules do not fit in " + groups + " groups (at most "
          + MAX_RULES_PER_GROUP + " each)");
    }
  }

  /**
   * The plan that brings the module tables from {@code existing} rows to exactly {@code target}.
   *
   * @throws IllegalArgumentException when the target is smaller than what is there plus the groups
   */
  static RowPlan of(long target, long existing, int groups) {
    long rules = target - existing - groups;
    if (groups <= 0 || rules < 0) {
      throw new IllegalArgumentException("cannot reach " + target + " rows with " + existing + " already there and "
          + groups + " groups to insert");
    }
    if (rules > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(rules + " rules are too many");
    }
    return new RowPlan(existing, groups, (int) rules);
  }

  /** How many rules the group of 0-based rank {@code n} (in the order of its id) gets. */
  int rulesOfGroup(int n) {
    if (n < 0 || n >= groups) {
      throw new IllegalArgumentException("no group of rank " + n + " among " + groups);
    }
    return rules / groups + (n < rules % groups ? 1 : 0);
  }

  /** The module tables' rows once the plan is inserted. */
  long total() {
    return existing + groups + rules;
  }
}
