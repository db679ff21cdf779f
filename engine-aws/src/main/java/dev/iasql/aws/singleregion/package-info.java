/**
 * Release 0.0.18, the oldest supported: one region per database, kept with the keys in a single {@code aws_account}
 * table, as IaSQL had it before multi-region support. Its {@code aws_vpc} and {@code aws_security_group} tables are
 * 0.0.20's without the foreign keys to {@code aws_regions} (there is none yet) and with IaSQL's stricter rule CHECK.
 * A release's SQL is frozen once shipped: these modules install their frozen files ({@link
 * dev.iasql.aws.releases.FrozenDdl}), never SQL derived from the newer schema, and {@code iasql_upgrade()} moves them
 * forward with each 0.0.20 module's {@code upgradeFrom}.
 */
package dev.iasql.aws.singleregion;
