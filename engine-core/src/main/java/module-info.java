/**
 * The engine: its API ({@code dev.iasql.engine}), the module SPI, error codes, the guard's permit and the release
 * catalogue. Everything else is internal: exported only to the engine's own artifacts that need it, so that a host on
 * the module path cannot reach the upgrade, the metadata store, the pools or the operation log.
 */
// requires-automatic: pgjdbc names its module in its manifest; module: the qualified exports name the engine's own
// artifacts, compiled after this one.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic", "module"})
module dev.iasql.engine {
  requires transitive java.sql;
  requires transitive org.jspecify;
  requires transitive micrometer.core; // EngineBuilder.meterRegistry
  requires com.fasterxml.jackson.databind;
  requires com.google.common;
  requires com.zaxxer.hikari;
  requires org.jooq;
  requires org.postgresql.jdbc;
  requires org.slf4j;

  exports dev.iasql.engine;
  exports dev.iasql.engine.error;
  exports dev.iasql.engine.guard;
  exports dev.iasql.engine.kit;
  exports dev.iasql.engine.release;
  exports dev.iasql.engine.spi;

  exports dev.iasql.engine.operation to dev.iasql.functions;
  exports dev.iasql.engine.platform to dev.iasql.functions;
  exports dev.iasql.engine.sql to dev.iasql.functions;

  provides dev.iasql.engine.spi.Module with dev.iasql.engine.platform.PlatformModule;

  uses dev.iasql.engine.spi.EngineExtension;
  uses dev.iasql.engine.spi.Module;
}
