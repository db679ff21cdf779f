/**
 * {@code iasql serve}: starts the PostgreSQL cluster (embedded on a data directory, or external by URL), builds the
 * engine on it, advertises it in {@code <data-dir>/server.properties} for the {@code db} commands, and stops cleanly on
 * SIGTERM or SIGINT (engine first, then PostgreSQL, then the advertisement).
 *
 * <p>Public: {@link dev.iasql.server.serve.ServeCommand}, and {@link dev.iasql.server.serve.ServerFile}, which the
 * {@code db} commands read. The rest is internal.
 */
package dev.iasql.server.serve;
