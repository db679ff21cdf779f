package dev.iasql.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.iasql.engine.CreatedDatabase;
import dev.iasql.engine.DatabaseName;
import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.postgres.PostgresCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A create that fails leaves no role, no database and no metadata row behind, and touches nothing it did not make. */
@ExtendWith(IasqlExtension.class)
class FailedCreateTest {
  private static final String LATEST = ReleaseCatalog.standard().latest();


  @Test
  void existingPostgresDatabaseIsRefusedAndLeftUntouched(Engine engine, PostgresCluster cluster) throws SQLException {
    String name = Pg.uniqueName("x");
    try (Connection pg = Pg.admin(cluster, "postgres")) {
      Pg.execFormatted(pg, "CREATE DATABASE %I", name);
    }
    try {
      String aclBefore;
      try (Connection x = Pg.admin(cluster, name)) {
        Pg.exec(x, "CREATE TABLE keep (v text)");
        Pg.exec(x, "INSERT INTO keep VALUES ('precious')");
        aclBefore = aclOf(x, name);
      }
      ClusterState before = ClusterState.of(cluster);

      assertThatExceptionOfType(EngineException.class).isThrownBy(() -> engine.createDatabase(name))
          .satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_EXISTS);
            assertThat(e.code().sqlState()).isEqualTo("IQ302");
          });

      assertThat(ClusterState.of(cluster)).as("no role, database or metadata row left behind").isEqualTo(before);
      assertThat(ClusterState.metadataRowExists(cluster, name)).isFalse();
      assertThat(engine.listDatabases()).noneMatch(i -> i.name().equals(name));
      try (Connection x = Pg.admin(cluster, name)) {
        assertThat(Pg.strings(x, "SELECT v FROM keep")).as("the database's data").containsExactly("precious");
        assertThat(aclOf(x, name)).as("its privileges").isEqualTo(aclBefore);
        assertThat(Pg.strings(x, "SELECT relname::text FROM pg_class WHERE relname LIKE 'iasql%'"))
            .as("no platform tables installed into it").isEmpty();
      }
    } finally {
      try (Connection pg = Pg.admin(cluster, "postgres")) {
        Pg.execFormatted(pg, "DROP DATABASE IF EXISTS %I WITH (FORCE)", name);
      }
    }
  }

  private static String aclOf(Connection c, String database) throws SQLException {
    return String.valueOf(Pg.value(c, "SELECT datacl::text FROM pg_database WHERE datname = ?", database));
  }

  @Test
  void creatingANameTwiceIsRefusedAndTheFirstKeepsWorking(Engine engine, PostgresCluster cluster)
      throws SQLException {
    String name = Pg.uniqueName("twice");
    try {
      CreatedDatabase first = engine.createDatabase(name);
      ClusterState before = ClusterState.of(cluster);

      assertThatExceptionOfType(EngineException.class).isThrownBy(() -> engine.createDatabase(name))
          .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_EXISTS));

      assertThat(ClusterState.of(cluster)).as("the failed second create changed nothing").isEqualTo(before);
      assertThat(engine.listDatabases()).filteredOn(i -> i.name().equals(name))
          .singleElement().satisfies(i -> assertThat(i.pgUser()).isEqualTo(first.pgUser()));
      assertThat(engine.permit(DatabaseName.of(name)).database().value()).isEqualTo(name);
      try (Connection c = Pg.login(cluster, name, first.pgUser(), first.pgPassword())) {
        assertThat(Pg.strings(c, "SELECT name FROM iasql_module")).containsExactly("iasql_platform@" + LATEST);
      }
    } finally {
      Pg.dropIfPresent(engine, name);
    }
  }

  static Stream<Arguments> invalidNames() {
    return Stream.of(
        Arguments.of("Bad-Name", "upper case and a hyphen"),
        Arguments.of("UPPER", "PostgreSQL would need quotes; psql users would not find it"),
        Arguments.of("1abc", "must start with a letter"),
        Arguments.of("", "empty"),
        Arguments.of("a".repeat(64), "PostgreSQL truncates identifiers to 63 bytes"),
        Arguments.of("postgres", "the admin's maintenance database"),
        Arguments.of("template0", "a system template"),
        Arguments.of("template1", "the template every database is copied from"),
        Arguments.of("iasql_metadata", "the engine's own metadata database"),
        Arguments.of("pg_x", "pg_ is reserved for the system"),
        Arguments.of("a\"; DROP DATABASE postgres; --", "an injection attempt: quotes and a semicolon"),
        Arguments.of("a'; DROP ROLE postgres; --", "an injection attempt with a single quote"),
        Arguments.of("name with space", "a space"),
        Arguments.of(" lead", "a leading space"),
        Arguments.of("caf\u00e9", "non-ASCII letter"),
        Arguments.of("a\u0000b", "a NUL byte"),
        Arguments.of(null, "no name at all"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("invalidNames")
  void invalidNamesAreRefusedAndNothingIsCreated(String name, String reason, Engine engine, PostgresCluster cluster)
      throws SQLException {
    ClusterState before = ClusterState.of(cluster);

    assertThatExceptionOfType(EngineException.class).as(reason).isThrownBy(() -> engine.createDatabase(name))
        .satisfies(e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATABASE_NAME);
          assertThat(e.code().sqlState()).isEqualTo("IQ301");
        });
    assertThatExceptionOfType(EngineException.class).as("drop, " + reason)
        .isThrownBy(() -> engine.dropDatabase(name))
        .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATABASE_NAME));

    assertThat(ClusterState.of(cluster)).as("nothing created or dropped").isEqualTo(before);
    assertThat(before.databases()).contains("postgres", "template1", Engine.METADATA_DATABASE);
  }

  @Test
  void longestValidNameIsAccepted(Engine engine, PostgresCluster cluster) throws SQLException {
    String prefix = Pg.uniqueName("n");
    String name = prefix + "_" + "9".repeat(62 - prefix.length());
    assertThat(name).hasSize(63);
    try {
      CreatedDatabase created = engine.createDatabase(name);
      assertThat(created.name()).isEqualTo(name);
      assertThat(ClusterState.databaseExists(cluster, name)).as("not truncated by PostgreSQL").isTrue();
      try (Connection c = Pg.login(cluster, name, created.pgUser(), created.pgPassword())) {
        assertThat(Pg.value(c, "SELECT current_database()::text")).isEqualTo(name);
      }
    } finally {
      Pg.dropIfPresent(engine, name);
    }
    assertThat(engine.listDatabases()).noneMatch(i -> i.name().equals(name));
  }
}
