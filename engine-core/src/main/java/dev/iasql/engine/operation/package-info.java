/** The operation log: one row per call in each database. Internal. */
package dev.iasql.engine.operation;
