/**
 * The SQL functions and the bridge that carries them into the engine. Nothing here is API: the engine finds the
 * bridge and the functions module through the service loader.
 */
@SuppressWarnings("requires-automatic") // pgjdbc and the AWS SDK name their modules in their manifests
module dev.iasql.functions {
  requires dev.iasql.engine;
  requires com.fasterxml.jackson.databind;
  requires com.zaxxer.hikari;
  requires micrometer.core;
  requires org.jooq;
  requires org.postgresql.jdbc;
  requires org.slf4j;

  // pgjdbc instantiates the listener's socket factory by name.
  exports dev.iasql.functions to org.postgresql.jdbc;
  // The engine reads the rows of the functions' result records (ResultColumns).
  opens dev.iasql.functions to dev.iasql.engine;

  provides dev.iasql.engine.spi.EngineExtension with dev.iasql.functions.Bridge;
  provides dev.iasql.engine.spi.Module with dev.iasql.functions.FunctionsModule;
}
