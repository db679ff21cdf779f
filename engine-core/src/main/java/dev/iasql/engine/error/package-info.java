/** Errors: one exception type and the catalogue of SQLSTATEs. Public API; codes are never reused. */
@NullMarked
package dev.iasql.engine.error;

import org.jspecify.annotations.NullMarked;
