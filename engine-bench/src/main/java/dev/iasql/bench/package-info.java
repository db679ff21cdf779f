/**
 * Benchmarks of the engine. {@link dev.iasql.bench.BridgeRoundTrip} measures the SQL function bridge: the latency and
 * throughput of the smallest engine-backed call against {@code SELECT 1}, with one and with several callers.
 */
package dev.iasql.bench;
