/**
 * Benchmarks of the engine. {@link dev.iasql.bench.BridgeRoundTrip} measures the SQL function bridge: the latency and
 * throughput of the smallest engine-backed call against {@code SELECT 1}, with one and with several callers. {@link
 * dev.iasql.bench.CloudLoop} times {@code iasql_apply()} and {@code iasql_sync()} against moto and counts their AWS
 * requests with {@link dev.iasql.bench.CountingInterceptor}. {@link dev.iasql.bench.UpgradeBench} times the in-place
 * upgrade of a 0.0.18 database with every module and 10,000 rows to the latest release.
 */
package dev.iasql.bench;
