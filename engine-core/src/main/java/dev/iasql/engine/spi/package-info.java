/**
 * The service provider interface: what a module or an engine extension implements. Kept lean (no jOOQ, no engine
 * internals) and still in flux until the first release that names it stable.
 */
@NullMarked
package dev.iasql.engine.spi;

import org.jspecify.annotations.NullMarked;
