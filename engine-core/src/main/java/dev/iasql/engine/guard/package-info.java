/**
 * The upgrade guard: guarded operations take a {@link dev.iasql.engine.guard.Permit}, a type only this package can
 * make. There is no boolean "force": code that must run during an upgrade will get a bypass token from the upgrade
 * lease, never a flag.
 */
@NullMarked
package dev.iasql.engine.guard;

import org.jspecify.annotations.NullMarked;
