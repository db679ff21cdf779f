/** Connections and SQL helpers shared by the engine's packages. Internal: no compatibility promise. */
package dev.iasql.engine.sql;
