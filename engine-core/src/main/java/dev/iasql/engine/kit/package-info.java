/**
 * The module kit: a table declared once ({@link dev.iasql.engine.kit.TableSpec}: columns, their roles, the cloud id,
 * the region, references, constraints) plus its cloud calls ({@link dev.iasql.engine.kit.Resources}) make a
 * {@link dev.iasql.engine.spi.Mapper}. The kit generates the DDL, the DB reads and writes (through jOOQ), the
 * comparison of a row with a resource and the preview's field-by-field description; a module writes only the cloud
 * calls and its real special cases. Still in flux, like the SPI it builds on.
 */
package dev.iasql.engine.kit;
