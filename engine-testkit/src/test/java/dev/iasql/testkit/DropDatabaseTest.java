package dev.iasql.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.postgres.PostgresCluster;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** engine.dropDatabase: ends the tenant's sessions, removes its database, login role and metadata row. */
@ExtendWith(IasqlExtension.class)
class DropDatabaseTest {
  private static final String LATEST = ReleaseCatalog.standard().latest();

  private static final String INVALID_PASSWORD = "28P01";

  @Test
  void dropEndsOpenSessionsAndRemovesDatabaseRoleAndMetadata(Engine engine, PostgresCluster cluster)
      throws SQLException {
    String name = Pg.uniqueName("drop");
    try {
      CreatedDatabase created = engine.createDatabase(name);
      try (Connection open = Pg.login(cluster, name, created.pgUser(), created.pgPassword())) {
        // an open transaction too: drop must not wait for the tenant to finish
        open.setAutoCommit(false);
        assertThat(Pg.strings(open, "SELECT name FROM iasql_module")).isNotEmpty();

        engine.dropDatabase(name);

        assertThat(Pg.sqlStateOf(() -> Pg.exec(open, "SELECT 1"))).as("the tenant's session after the drop")
            .matches("57P01|08\\d{3}");
      }

      assertThat(ClusterState.databaseExists(cluster, name)).as("database").isFalse();
      assertThat(ClusterState.roleExists(cluster, created.pgUser())).as("login role").isFalse();
      assertThat(ClusterState.metadataRowExists(cluster, name)).as("metadata row").isFalse();
      assertThat(engine.listDatabases()).noneMatch(i -> i.name().equals(name));
      // the role is gone, not merely shut out: its password no longer authenticates anywhere
      for (String database : new String[] {name, "postgres", Engine.METADATA_DATABASE}) {
        assertThat(Pg.sqlStateOf(() -> Pg.login(cluster, database, created.pgUser(), created.pgPassword()).close()))
            .as("logging in to %s as the dropped role", database).isEqualTo(INVALID_PASSWORD);
      }
    } finally {
      Pg.dropIfPresent(engine, name);
    }
  }

  @Test
  void droppingAnUnknownDatabaseIsNotFound(Engine engine, PostgresCluster cluster) throws SQLException {
    String name = Pg.uniqueName("never_created");
    ClusterState before = ClusterState.of(cluster);

    assertThatExceptionOfType(EngineException.class).isThrownBy(() -> engine.dropDatabase(name))
        .satisfies(e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_NOT_FOUND);
          assertThat(e.code().sqlState()).isEqualTo("IQ303");
          assertThat(e.getMessage()).contains(name);
        });
    assertThat(ClusterState.of(cluster)).isEqualTo(before);
  }

  @Test
  void droppingAPostgresDatabaseTheEngineDidNotCreateIsNotFoundAndLeavesIt(Engine engine, PostgresCluster cluster)
      throws SQLException {
    String name = Pg.uniqueName("foreign");
    try (Connection pg = Pg.admin(cluster, "postgres")) {
      Pg.execFormatted(pg, "CREATE DATABASE %I", name);
    }
    try {
      assertThatExceptionOfType(EngineException.class).isThrownBy(() -> engine.dropDatabase(name))
          .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_NOT_FOUND));
      assertThat(ClusterState.databaseExists(cluster, name)).as("a database the engine does not own").isTrue();
    } finally {
      try (Connection pg = Pg.admin(cluster, "postgres")) {
        Pg.execFormatted(pg, "DROP DATABASE IF EXISTS %I", name);
      }
    }
  }

  @Test
  void aDroppedNameCanBeCreatedAgainWithANewLogin(Engine engine, PostgresCluster cluster) throws SQLException {
    String name = Pg.uniqueName("again");
    try {
      CreatedDatabase first = engine.createDatabase(name);
      try (Connection c = Pg.login(cluster, name, first.pgUser(), first.pgPassword())) {
        Pg.exec(c, "CREATE TEMP TABLE scratch (v int)");
      }
      engine.dropDatabase(name);

      CreatedDatabase second = engine.createDatabase(name);

      assertThat(second.pgUser()).isNotEqualTo(first.pgUser());
      assertThat(second.pgPassword()).isNotEqualTo(first.pgPassword());
      assertThat(engine.listDatabases()).filteredOn(i -> i.name().equals(name)).singleElement()
          .satisfies(i -> assertThat(i.pgUser()).isEqualTo(second.pgUser()));
      try (Connection c = Pg.login(cluster, name, second.pgUser(), second.pgPassword())) {
        assertThat(Pg.strings(c, "SELECT name FROM iasql_module")).containsExactly("iasql_platform@" + LATEST);
      }
      assertThat(Pg.sqlStateOf(() -> Pg.login(cluster, name, first.pgUser(), first.pgPassword()).close()))
          .as("the first login does not open the new database").isEqualTo(INVALID_PASSWORD);
    } finally {
      Pg.dropIfPresent(engine, name);
    }
  }
}
