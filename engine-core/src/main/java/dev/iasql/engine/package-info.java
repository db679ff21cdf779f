/**
 * The engine's public API: {@link dev.iasql.engine.Engine} and the values its verbs take and return. Everything here
 * is a compatibility promise; other packages of engine-core are internal unless their package-info says otherwise.
 */
@NullMarked
package dev.iasql.engine;

import org.jspecify.annotations.NullMarked;
