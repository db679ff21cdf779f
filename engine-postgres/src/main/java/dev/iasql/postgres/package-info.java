/**
 * The PostgreSQL cluster the engine runs on: an embedded server this process starts, initialises and hardens, or an
 * external one named by URL. {@link dev.iasql.postgres.PostgresCluster} is the only way in; it hands out admin
 * connections, the connection strings tenants use, and the in-server conninfo the function bridge opens its dblink with.
 *
 * <p>Security model (ARCHITECTURE.md §3): an embedded server listens on 127.0.0.1 only, every TCP connection
 * authenticates with scram-sha-256, and {@code trust} exists solely for the admin on a unix socket in a private (0700)
 * directory, which only the server itself (the bridge's SECURITY DEFINER dblink) and this OS user can reach. The admin
 * password is random, generated on first start, and kept in {@code <data>/admin-password} (mode 0600).
 *
 * <p>Public API: {@code PostgresCluster}, {@code EmbeddedOptions}, {@code Durability}; everything else is internal.
 */
@NullMarked
package dev.iasql.postgres;

import org.jspecify.annotations.NullMarked;
