package dev.iasql.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.iasql.engine.Call;
import dev.iasql.engine.DatabaseName;
import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.guard.Permit;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.postgres.PostgresCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * engine.permit: issued for a database at a supported release and not upgrading, refused otherwise, per database. The
 * state is set the way an upgrade (or an old release) leaves it: in the metadata row, as the admin.
 */
@ExtendWith(IasqlExtension.class)
class GuardTest {
  private static final String LATEST = ReleaseCatalog.standard().latest();


  @Test
  void freshDatabaseGetsAPermitAtTheLatestRelease(TestDatabase db, Engine engine) {
    Permit permit = engine.permit(db.databaseName());

    assertThat(permit.database()).isEqualTo(db.databaseName());
    assertThat(permit.release()).isEqualTo(LATEST);
    assertThat(engine.install(permit, List.of("iasql_platform"), Call.create()).installedModules())
        .as("the permit is accepted by a guarded operation (nothing to install)").isEmpty();
  }

  @Test
  void upgradingDatabaseGetsNoPermitWhileOthersDo(TestDatabases dbs, Engine engine, PostgresCluster cluster)
      throws SQLException {
    TestDatabase upgrading = dbs.create();
    TestDatabase other = dbs.create();
    setMetadata(cluster, upgrading.name(), "upgrade_state", "upgrading");
    try {
      assertThatExceptionOfType(EngineException.class).isThrownBy(() -> engine.permit(upgrading.databaseName()))
          .satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UPGRADE_IN_PROGRESS);
            assertThat(e.code().sqlState()).isEqualTo("IQ101");
            assertThat(e.getMessage()).contains(upgrading.name());
          });
      assertThat(engine.permit(other.databaseName()).database()).as("another database is not held up")
          .isEqualTo(other.databaseName());
      assertThat(engine.listDatabases()).filteredOn(i -> i.name().equals(upgrading.name())).singleElement()
          .satisfies(i -> assertThat(i.upgradeState()).isEqualTo("upgrading"));
    } finally {
      setMetadata(cluster, upgrading.name(), "upgrade_state", "idle");
    }
    assertThat(engine.permit(upgrading.databaseName()).database()).as("after the upgrade ends")
        .isEqualTo(upgrading.databaseName());
  }

  @Test
  void unsupportedReleaseGetsNoPermitAndPointsToTheUpgrade(TestDatabases dbs, Engine engine, PostgresCluster cluster)
      throws SQLException {
    TestDatabase old = dbs.create();
    TestDatabase other = dbs.create();
    setMetadata(cluster, old.name(), "release", "0.0.1");
    try {
      assertThatExceptionOfType(EngineException.class).isThrownBy(() -> engine.permit(old.databaseName()))
          .satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RELEASE_NOT_SUPPORTED);
            assertThat(e.code().sqlState()).isEqualTo("IQ102");
            assertThat(e.getMessage()).contains("0.0.1").contains(old.name());
            assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("iasql_upgrade()"));
          });
      assertThat(engine.permit(other.databaseName()).release()).isEqualTo(LATEST);
    } finally {
      setMetadata(cluster, old.name(), "release", LATEST);
    }
    assertThat(engine.permit(old.databaseName()).release()).isEqualTo(LATEST);
  }

  @Test
  void unknownDatabaseGetsNoPermit(Engine engine) {
    assertThatExceptionOfType(EngineException.class)
        .isThrownBy(() -> engine.permit(DatabaseName.of(Pg.uniqueName("nowhere"))))
        .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_NOT_FOUND));
  }

  /** Sets one column of a database's metadata row, as the admin. */
  private static void setMetadata(PostgresCluster cluster, String database, String column, String value)
      throws SQLException {
    try (Connection m = Pg.admin(cluster, Engine.METADATA_DATABASE)) {
      String sql = (String) Pg.value(m, "SELECT format('UPDATE iasql_database SET %I = ? WHERE pg_name = ?',"
          + " ?::text)", column);
      try (var ps = m.prepareStatement(sql)) {
        ps.setString(1, value);
        ps.setString(2, database);
        assertThat(ps.executeUpdate()).as("metadata rows updated").isEqualTo(1);
      }
    }
  }
}
