package dev.iasql.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.iasql.engine.DatabaseName;
import dev.iasql.engine.EngineProof;
import dev.iasql.engine.TestPostgres;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.metadata.MetadataStore;
import dev.iasql.engine.release.ReleaseCatalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guard on its own, against a real metadata database: which state gets a permit, and when a permit issued earlier
 * stops holding. (engine-testkit's GuardTest checks the same through a whole engine.)
 */
class GuardStateTest {
  /** The releases these cases are written for, whatever the engine's standard catalogue serves by now. */
  private static final ReleaseCatalog CATALOG = new ReleaseCatalog(List.of(ReleaseCatalog.V0_0_18,
      ReleaseCatalog.V0_0_20));

  private static final DatabaseName APP = DatabaseName.of("app");

  private DataSource metadata;
  private Guard guard;

  @BeforeEach
  void metadataWithOneReadyDatabase() throws SQLException {
    metadata = TestPostgres.dataSource(TestPostgres.createDatabase());
    MetadataStore store = new MetadataStore(metadata);
    store.migrate();
    store.insertCreating("app", "app_user", "0.0.20");
    store.markReady("app");
    guard = new Guard(EngineProof.internal(), metadata, CATALOG);
  }

  @AfterEach
  void dropDatabases() throws SQLException {
    TestPostgres.dropDatabases();
  }

  @Test
  void anIdleDatabaseAtASupportedReleaseGetsAPermitThatHolds() {
    Permit permit = guard.permit(APP);

    assertThat(permit.database()).isEqualTo(APP);
    assertThat(permit.release()).isEqualTo("0.0.20");
    assertThat(permit).hasToString("Permit[app at 0.0.20]");
    guard.check(permit);
  }

  @Test
  void anUpgradingDatabaseGetsNoPermit() throws SQLException {
    set("upgrade_state", "upgrading");

    assertThatExceptionOfType(EngineException.class).isThrownBy(() -> guard.permit(APP)).satisfies(e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.UPGRADE_IN_PROGRESS);
      assertThat(e.getMessage()).isEqualTo("database \"app\" is being upgraded (state: upgrading)");
      assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("call iasql_upgrade() again to resume"));
    });
  }

  @Test
  void aDatabaseAtAReleaseNoLongerSupportedIsSentToTheUpgrade() throws SQLException {
    set("release", "0.0.1");

    assertThatExceptionOfType(EngineException.class).isThrownBy(() -> guard.permit(APP)).satisfies(e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.RELEASE_NOT_SUPPORTED);
      assertThat(e.getMessage()).isEqualTo("database \"app\" is at release 0.0.1, which this engine no longer"
          + " supports");
      assertThat(e.hint()).hasValue("run SELECT iasql_upgrade(); to move it to release 0.0.20");
    });
  }

  @Test
  void aDatabaseThatIsNotReadyOrUnknownIsNotFound() throws SQLException {
    new MetadataStore(metadata).insertCreating("half", "half_user", "0.0.20");

    for (String name : new String[] {"half", "nowhere"}) {
      assertThatExceptionOfType(EngineException.class).isThrownBy(() -> guard.permit(DatabaseName.of(name)))
          .satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_NOT_FOUND);
            assertThat(e.getMessage()).isEqualTo("there is no IaSQL database named \"" + name + "\"");
          });
    }
  }

  @Test
  void aPermitOfAnotherEngineIsRefused() {
    Permit other = new Guard(EngineProof.internal(), metadata, CATALOG).permit(APP);

    assertThatExceptionOfType(EngineException.class).isThrownBy(() -> guard.check(other)).satisfies(e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.STALE_PERMIT);
      assertThat(e.getMessage()).isEqualTo("this permit for database \"app\" was issued by another engine");
    });
  }

  @Test
  void aPermitStopsHoldingOnceAnUpgradeBegins() throws SQLException {
    Permit permit = guard.permit(APP);
    set("upgrade_state", "upgrading");

    assertThatExceptionOfType(EngineException.class).isThrownBy(() -> guard.check(permit))
        .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.UPGRADE_IN_PROGRESS));
  }

  @Test
  void aPermitStopsHoldingOnceTheReleaseChanged() throws SQLException {
    Permit permit = guard.permit(APP);
    set("release", "0.0.18");

    assertThatExceptionOfType(EngineException.class).isThrownBy(() -> guard.check(permit)).satisfies(e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.STALE_PERMIT);
      assertThat(e.getMessage()).isEqualTo("this permit was issued for database \"app\" at release 0.0.20, which is"
          + " now at release 0.0.18");
    });
  }

  @Test
  void anUnreadableMetadataDatabaseIsAnInternalErrorNotAPermit() {
    Guard blind = new Guard(EngineProof.internal(), TestPostgres.dataSource("no_such_database"),
        CATALOG);

    assertThatExceptionOfType(EngineException.class).isThrownBy(() -> blind.permit(APP)).satisfies(e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
      assertThat(e.getMessage()).startsWith("cannot read the guard state: ");
    });
  }

  /** Sets a column of the database's metadata row, as an upgrade (or an older engine) leaves it. */
  private void set(String column, String value) throws SQLException {
    try (Connection c = metadata.getConnection(); PreparedStatement ps = c.prepareStatement(
        "UPDATE iasql_database SET " + ("release".equals(column) ? "release" : "upgrade_state") + " = ? WHERE"
            + " pg_name = 'app'")) {
      ps.setString(1, value);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }
}
