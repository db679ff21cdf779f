/** Releases: which versions of the platform and modules a database can be at. */
@NullMarked
package dev.iasql.engine.release;

import org.jspecify.annotations.NullMarked;
