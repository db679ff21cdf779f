/**
 * The upgrade: a lease on one database (an advisory lock held by the upgrading session plus the state in the metadata
 * database), the bypass token only that lease can mint, and the steps that move a database to the latest release.
 * Nothing outside this package can obtain a token; {@code GuardArchitectureTest} proves it.
 */
package dev.iasql.engine.upgrade;
