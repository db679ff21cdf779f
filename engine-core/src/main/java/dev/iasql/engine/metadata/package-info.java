/** The metadata database: which user databases exist, their release, lifecycle and upgrade state. Internal. */
package dev.iasql.engine.metadata;
