/**
 * The {@code iasql} program: {@link dev.iasql.server.Main} and the command tree ({@code serve}, {@code db create|drop|
 * list}). Subpackages: {@code cli} (shared options, exit codes, failures), {@code serve} (running the engine), {@code db}
 * (clients of a running server).
 *
 * <p>The command line is the interface; the Java types are internal.
 */
package dev.iasql.server;
