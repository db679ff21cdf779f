/**
 * The conventions every {@code iasql} command shares: where the server is ({@link dev.iasql.server.cli.Location}, chosen
 * by {@link dev.iasql.server.cli.LocationOptions}), exit codes, how a failure is reported to the user, and the version.
 *
 * <p>Internal to the server program; no compatibility promise beyond the command line itself.
 */
package dev.iasql.server.cli;
