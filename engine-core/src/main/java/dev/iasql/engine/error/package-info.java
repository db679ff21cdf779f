/** Errors: one exception type and the catalogue of SQLSTATEs. Public API; codes are never reused. */
package dev.iasql.engine.error;
