/**
 * {@code iasql db create|drop|list}: clients of a running server. They log in as the cluster's admin to the metadata
 * database ({@code iasql_metadata}) and call the engine's admin functions there, {@code iasql_connect}, {@code
 * iasql_disconnect} and {@code iasql_db_list}, with bound parameters. The engine does the work; these commands only find
 * the server ({@code server.properties} and {@code admin-password} of the data directory, or the external URL) and
 * render results and errors.
 *
 * <p>Internal to the server program; the command line is the interface.
 */
package dev.iasql.server.db;
