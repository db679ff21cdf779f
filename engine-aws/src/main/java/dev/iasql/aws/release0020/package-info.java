/**
 * Release 0.0.20's modules, the SQL surface of IaSQL v0.0.20, as shipped: each serves its frozen DDL and says how it
 * moved the schema from 0.0.18.
 */
package dev.iasql.aws.release0020;
