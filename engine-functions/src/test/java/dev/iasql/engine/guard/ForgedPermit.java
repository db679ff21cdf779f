package dev.iasql.engine.guard;

import dev.iasql.engine.DatabaseName;

/**
 * What host code once did to get past the guard: a class of its own in the guard's package, calling Permit's
 * package-private constructor. engine-core's jar is sealed, so loading this class beside it must fail.
 */
public final class ForgedPermit {
  private ForgedPermit() {}

  public static Object forge(Guard guard) {
    return new Permit(DatabaseName.of("victim"), "0.0.18", new Permit.Ordinary(), guard);
  }
}
