/**
 * What the server's log may contain: the logback converters {@code logback.xml} puts in place of the standard message,
 * MDC and exception converters (every value escaped onto one line, messages bounded), and the filter that keeps the AWS
 * SDK and its HTTP client below DEBUG, where they print credentials.
 *
 * <p>Internal to the server program.
 */
package dev.iasql.server.log;
