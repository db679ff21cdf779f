/**
 * The frozen DDL of each shipped release, per module ({@link dev.iasql.aws.releases.FrozenDdl}); the files live
 * beside this package in the resources, under a directory per release.
 */
package dev.iasql.aws.releases;
