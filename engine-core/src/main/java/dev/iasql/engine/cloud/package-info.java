/**
 * Apply and sync: read both sides, diff, plan, execute, re-read until stable, the same for every table. Modules say
 * how one table maps ({@link dev.iasql.engine.spi.Mapper}); everything else lives here. Internal.
 */
package dev.iasql.engine.cloud;
