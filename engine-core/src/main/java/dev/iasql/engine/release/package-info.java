/** Releases: which versions of the platform and modules a database can be at. */
package dev.iasql.engine.release;
