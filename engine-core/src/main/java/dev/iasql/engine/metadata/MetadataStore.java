package dev.iasql.engine.metadata;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.sql.AdvisoryLocks;
import dev.iasql.engine.sql.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata database: one row per user database, and the history of its own schema. Created and migrated on engine
 * start, under an advisory lock so that several engines starting together migrate it once.
 */
public final class MetadataStore {
  public static final String DATABASE = "iasql_metadata";
  /**
   * The channel, in the metadata database, every engine's SQL bridge listens on (its doorbell): a change of the list
   * of databases is told there too ({@code d:0:<database>}), so the other engines serve or let go of it at once.
   */
  public static final String RING_CHANNEL = "iasql_ring";
  private static final Logger LOG = LoggerFactory.getLogger(MetadataStore.class);
  /** How long an engine waits for another that migrates the metadata schema (a few DDL statements) as it starts. */
  private static final Duration MIGRATION_WAIT = Duration.ofMinutes(1);

  private static final List<Step> STEPS =
      List.of(
          new Step(
              1,
              "iasql_database",
              """
              CREATE TABLE iasql_database (
                pg_name text PRIMARY KEY,
                pg_user text NOT NULL UNIQUE,
                release text NOT NULL,
                lifecycle text NOT NULL DEFAULT 'creating' CHECK (lifecycle IN ('creating', 'ready')),
                upgrade_state text NOT NULL DEFAULT 'idle',
                upgrade_step integer,
                created_at timestamptz NOT NULL DEFAULT now()
              );
              REVOKE ALL ON iasql_database FROM PUBLIC;
              """),
          new Step(
              2,
              "lifecycle dropping",
              """
              ALTER TABLE iasql_database DROP CONSTRAINT iasql_database_lifecycle_check;
              ALTER TABLE iasql_database ADD CONSTRAINT iasql_database_lifecycle_check
                CHECK (lifecycle IN ('creating', 'ready', 'dropping'));
              """),
          new Step(
              3,
              "engine secret",
              // The key every engine of this cluster derives the user databases' owner passwords from, so that no
              // password is stored per database and every engine derives the same one. Only the admin reads it.
              """
              CREATE TABLE iasql_engine_secret (
                singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                secret bytea NOT NULL CHECK (length(secret) >= 32)
              );
              REVOKE ALL ON iasql_engine_secret FROM PUBLIC;
              """));

  private final DataSource metadata;

  public MetadataStore(DataSource metadata) {
    this.metadata = requireNonNull(metadata, "metadata is null");
  }

  /**
   * Creates the metadata database if the cluster has none, closed to PUBLIC; safe when several engines race. (Who may
   * connect to postgres and template1 is the engine's business, which knows whether its admin may change that.)
   */
  public static void ensureCreated(DataSource postgres) {
    try (Connection c = postgres.getConnection()) {
      DSLContext dsl = Sql.dsl(c);
      boolean exists = dsl.fetchExists(dsl.selectOne().from("pg_database").where("datname = ?", DATABASE));
      if (!exists) {
        try {
          Sql.execFormatted(c, "CREATE DATABASE %I", DATABASE);
          LOG.info("created the metadata database {}", DATABASE);
        } catch (DataAccessException e) {
          if (!"42P04".equals(e.sqlState())) {
            throw e;
          }
        }
      }
      Sql.execFormatted(c, "REVOKE ALL ON DATABASE %I FROM PUBLIC", DATABASE);
    } catch (SQLException e) {
      throw internal("cannot create the metadata database", e);
    }
  }

  public void migrate() {
    try (Connection c = metadata.getConnection()) {
      DSLContext dsl = Sql.dsl(c);
      AdvisoryLocks.withLock(c, AdvisoryLocks.Key.METADATA_MIGRATION, MIGRATION_WAIT, () -> {
        dsl.execute(
            """
            CREATE TABLE IF NOT EXISTS iasql_schema_history (
              version integer PRIMARY KEY, description text NOT NULL, installed_at timestamptz NOT NULL DEFAULT now())
            """);
        int current = ((Number) dsl.fetchValue("SELECT coalesce(max(version), 0) FROM iasql_schema_history")).intValue();
        for (Step step : STEPS) {
          if (step.version() > current) {
            dsl.transaction(
                tx -> {
                  tx.dsl().execute(step.sql());
                  tx.dsl()
                      .execute(
                          "INSERT INTO iasql_schema_history (version, description) VALUES (?, ?)",
                          step.version(),
                          step.description());
                });
            LOG.info("metadata schema migrated to {} ({})", step.version(), step.description());
          }
        }
        return null;
      });
    } catch (SQLException e) {
      throw internal("cannot migrate the metadata database", e);
    }
  }

  /**
   * The engine secret, made on first use from {@code fresh} (random bytes of the caller's); when several engines race,
   * all of them get the one that was stored first.
   */
  public byte[] engineSecret(byte[] fresh) {
    return run(dsl -> {
      dsl.execute("INSERT INTO iasql_engine_secret (secret) VALUES (?) ON CONFLICT (singleton) DO NOTHING", fresh);
      return (byte[]) dsl.fetchValue("SELECT secret FROM iasql_engine_secret");
    });
  }

  /** Records a database being created; refuses a name or role already taken. */
  public void insertCreating(String name, String pgUser, String release) {
    run(
        dsl -> {
          try {
            dsl.execute(
                "INSERT INTO iasql_database (pg_name, pg_user, release) VALUES (?, ?, ?)", name, pgUser, release);
          } catch (DataAccessException e) {
            if ("23505".equals(e.sqlState())) {
              throw new EngineException(ErrorCode.DATABASE_EXISTS, "an IaSQL database named \"" + name
                  + "\" already exists", null, "choose another name; to use the existing one, ./iasql db url " + name
                  + " prints its URL (its password was shown once, when it was created); ./iasql db drop " + name
                  + " deletes it", null);
            }
            throw e;
          }
          return null;
        });
  }

  public void markReady(String name) {
    run(dsl -> dsl.execute("UPDATE iasql_database SET lifecycle = 'ready' WHERE pg_name = ?", name));
  }

  public void markDropping(String name) {
    run(dsl -> dsl.execute("UPDATE iasql_database SET lifecycle = 'dropping' WHERE pg_name = ?", name));
    changed(name);
  }

  /** Tells the other engines, after the change has committed, that the database's entry changed. */
  public void changed(String name) {
    run(dsl -> dsl.execute("SELECT pg_notify(?, ?)", RING_CHANNEL, "d:0:" + name));
  }

  public void delete(String name) {
    run(dsl -> dsl.execute("DELETE FROM iasql_database WHERE pg_name = ?", name));
  }

  public Optional<DatabaseRecord> find(String name) {
    return run(
        dsl ->
            dsl.fetchOptional(
                    "SELECT pg_name, pg_user, release, lifecycle, upgrade_state, created_at FROM iasql_database"
                        + " WHERE pg_name = ?",
                    name)
                .map(MetadataStore::toRecord));
  }

  public List<DatabaseRecord> list() {
    return run(
        dsl ->
            dsl
                .fetch(
                    "SELECT pg_name, pg_user, release, lifecycle, upgrade_state, created_at FROM iasql_database"
                        + " ORDER BY pg_name")
                .map(MetadataStore::toRecord));
  }

  private static DatabaseRecord toRecord(Record r) {
    return new DatabaseRecord(
        r.get(0, String.class),
        r.get(1, String.class),
        r.get(2, String.class),
        r.get(3, String.class),
        r.get(4, String.class),
        r.get(5, OffsetDateTime.class));
  }

  private <T> T run(SqlWork<T> work) {
    try (Connection c = metadata.getConnection()) {
      return work.run(Sql.dsl(c));
    } catch (SQLException | DataAccessException e) {
      throw internal("metadata database error", e);
    }
  }

  private static EngineException internal(String what, Exception e) {
    return new EngineException(ErrorCode.INTERNAL_ERROR, what + ": " + e.getMessage(), null, null, e);
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T run(DSLContext dsl) throws SQLException;
  }

  private record Step(int version, String description, String sql) {}
}
