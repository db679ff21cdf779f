package dev.iasql.engine.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.iasql.engine.Call;
import dev.iasql.engine.Cancellation;
import dev.iasql.engine.DatabaseName;
import dev.iasql.engine.EngineProof;
import dev.iasql.engine.TestPostgres;
import dev.iasql.engine.UpgradeResult;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.guard.Guard;
import dev.iasql.engine.guard.Permit;
import dev.iasql.engine.metadata.MetadataStore;
import dev.iasql.engine.release.ReleaseCatalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The upgrade on its own, against real databases (the metadata one, and the user one whose advisory lock is the
 * lease): the order of its steps, the state the guard reads at each, the bypass permit only the lease gives, and what
 * a failed or concurrent upgrade leaves.
 */
class UpgraderTest {
  /** The releases these cases are written for, whatever the engine's standard catalogue serves by now. */
  private static final ReleaseCatalog CATALOG = new ReleaseCatalog(List.of(ReleaseCatalog.V0_0_18,
      ReleaseCatalog.V0_0_20));

  private static final DatabaseName APP = DatabaseName.of("app");

  private DataSource metadata;
  private String userDatabase;
  private Guard guard;
  private Upgrader upgrader;
  private final List<String> progress = new CopyOnWriteArrayList<>();

  @BeforeEach
  void databaseAtTheOlderRelease() throws SQLException {
    metadata = TestPostgres.dataSource(TestPostgres.createDatabase());
    userDatabase = TestPostgres.createDatabase();
    MetadataStore store = new MetadataStore(metadata);
    store.migrate();
    store.insertCreating("app", "app_user", "0.0.18");
    store.markReady("app");
    guard = new Guard(EngineProof.internal(), metadata, CATALOG);
    upgrader = new Upgrader(EngineProof.internal(), guard, CATALOG, metadata);
  }

  @AfterEach
  void dropDatabases() throws SQLException {
    TestPostgres.dropDatabases();
  }

  /** The engine's side of an upgrade, as a test writes it: records what it was asked and what the guard said. */
  private class RecordingSteps implements Upgrader.Steps {
    final List<String> seen = new ArrayList<>();
    Permit bypass;

    @Override
    public List<String> migrateSchema(String fromRelease, String toRelease, Call.Progress p) throws SQLException {
      seen.add("migrate " + fromRelease + " to " + toRelease + " at " + state());
      assertGuardRefusesOthers();
      return List.of("aws_vpc");
    }

    @Override
    public void withCloud(Permit permit, Call.Progress p) {
      try {
        seen.add("cloud as " + permit + " at " + state());
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      guard.check(permit); // the lease's permit holds while the guard refuses everybody else
      assertGuardRefusesOthers();
      bypass = permit;
    }

    @Override
    public void validate(String toRelease) throws SQLException {
      seen.add("validate " + toRelease + " at " + state());
    }
  }

  @Test
  void theStepsRunInOrderUnderTheLeaseAndTheNewReleaseIsRecordedLast() throws SQLException {
    RecordingSteps steps = new RecordingSteps();

    UpgradeResult result = upgrade("idle", steps, Cancellation.create());

    assertThat(result).isEqualTo(new UpgradeResult("app", "0.0.18", "0.0.20", List.of("aws_vpc")));
    assertThat(steps.seen).containsExactly("migrate 0.0.18 to 0.0.20 at 0.0.18 upgrading 1",
        "cloud as Permit[app at 0.0.20] at 0.0.18 upgrading 2", "validate 0.0.20 at 0.0.18 upgrading 2");
    assertThat(state()).isEqualTo("0.0.20 idle null");
    assertThat(progress).containsExactly("upgrading app from 0.0.18 to 0.0.20",
        "database app is at release 0.0.20 (1 modules moved)");
    assertThat(guard.permit(APP).release()).isEqualTo("0.0.20");
  }

  @Test
  void theBypassPermitDiesWithTheLease() throws SQLException {
    RecordingSteps steps = new RecordingSteps();
    upgrade("idle", steps, Cancellation.create());

    assertThatExceptionOfType(EngineException.class).isThrownBy(() -> guard.check(steps.bypass)).satisfies(e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.UPGRADE_IN_PROGRESS);
      assertThat(e.getMessage()).isEqualTo("the upgrade of database \"app\" that held this permit has ended");
    });
  }

  @Test
  void aDatabaseAtTheLatestReleaseIsLeftAlone() throws SQLException {
    setRelease("0.0.20");
    RecordingSteps steps = new RecordingSteps();

    assertThat(upgrade("idle", steps, Cancellation.create()))
        .isEqualTo(new UpgradeResult("app", "0.0.20", "0.0.20", List.of()));

    assertThat(steps.seen).isEmpty();
    assertThat(progress).containsExactly("database app is already at the latest release 0.0.20");
  }

  @Test
  void anUpgradeThatStoppedAtTheLatestReleaseIsResumed() throws SQLException {
    setRelease("0.0.20");
    RecordingSteps steps = new RecordingSteps();

    upgrade("upgrading", steps, Cancellation.create());

    assertThat(steps.seen).hasSize(3);
    assertThat(progress).first().isEqualTo("resuming the upgrade of app from 0.0.20 to 0.0.20");
  }

  @Test
  void aReleaseTooOldToUpgradeIsRefusedNamingWhatThisEngineKnows() throws SQLException {
    setRelease("0.0.1");

    assertThatExceptionOfType(EngineException.class)
        .isThrownBy(() -> upgrade("idle", new RecordingSteps(), Cancellation.create())).satisfies(e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.RELEASE_NOT_SUPPORTED);
          assertThat(e.getMessage()).isEqualTo("database \"app\" is at release 0.0.1, which is too old for this engine"
              + " to upgrade");
          assertThat(e.hint()).hasValue("upgrade it with an engine that still supports 0.0.1 first; this one"
              + " supports 0.0.18, 0.0.20");
        });
  }

  @Test
  void aSecondUpgradeWhileTheLeaseIsHeldIsRefused() throws SQLException {
    try (UpgradeLease held = UpgradeLease.acquire(() -> TestPostgres.admin(userDatabase), metadata, APP, "0.0.20")) {
      assertThat(held.token().live()).isTrue();
      assertThat(held.token()).hasToString("BypassToken[app, live]");
      assertThat(state()).as("refused by the guard from the moment the lease is taken").isEqualTo("0.0.18 upgrading 0");

      assertThatExceptionOfType(EngineException.class)
          .isThrownBy(() -> upgrade("upgrading", new RecordingSteps(), Cancellation.create())).satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UPGRADE_IN_PROGRESS);
            assertThat(e.getMessage()).isEqualTo("database \"app\" is already being upgraded by another session");
          });
    }
    assertThat(upgrade("upgrading", new RecordingSteps(), Cancellation.create()).toRelease()).isEqualTo("0.0.20");
  }

  @Test
  void aClosedLeaseMintsNoTokenAndItsTokensAreDead() throws SQLException {
    UpgradeLease lease = UpgradeLease.acquire(() -> TestPostgres.admin(userDatabase), metadata, APP, "0.0.20");
    BypassToken token = lease.token();
    lease.close();

    assertThat(token.live()).isFalse();
    assertThat(token).hasToString("BypassToken[app, dead]");
    assertThatExceptionOfType(IllegalStateException.class).isThrownBy(lease::token);
    assertThatExceptionOfType(EngineException.class).isThrownBy(() -> guard.bypass(token))
        .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR));
  }

  @Test
  void aFailedValidationRecordsNothingAndTheNextCallResumes() throws SQLException {
    RecordingSteps failing = new RecordingSteps() {
      @Override
      public void validate(String toRelease) throws SQLException {
        throw new SQLException("table vpc is not release " + toRelease + "'s");
      }
    };

    assertThatExceptionOfType(EngineException.class).isThrownBy(() -> upgrade("idle", failing,
        Cancellation.create())).satisfies(e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
          assertThat(e.getMessage()).isEqualTo("the upgrade of app stopped: table vpc is not release 0.0.20's");
          assertThat(e.hint()).hasValue("call iasql_upgrade() again: it resumes where this one stopped");
        });
    assertThat(state()).as("refused to everybody until an upgrade succeeds").isEqualTo("0.0.18 upgrading 2");

    assertThat(upgrade("upgrading", new RecordingSteps(), Cancellation.create()).toRelease())
        .as("the lease went with the failed call").isEqualTo("0.0.20");
  }

  @Test
  void aCancelBeforeTheSchemaMovesStopsTheUpgradeAndFreesTheLease() throws SQLException {
    Cancellation cancelled = Cancellation.create();
    cancelled.cancel();
    RecordingSteps steps = new RecordingSteps();

    assertThatExceptionOfType(EngineException.class).isThrownBy(() -> upgrade("idle", steps, cancelled))
        .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));

    assertThat(steps.seen).isEmpty();
    assertThat(upgrade("upgrading", new RecordingSteps(), Cancellation.create()).toRelease()).isEqualTo("0.0.20");
  }

  @Test
  void aCancelWhileTheSchemaMovesStopsBeforeTheCloudStepAndTheStateSaysWhere() throws SQLException {
    Cancellation cancellation = Cancellation.create();
    RecordingSteps steps = new RecordingSteps() {
      @Override
      public List<String> migrateSchema(String fromRelease, String toRelease, Call.Progress p) throws SQLException {
        cancellation.cancel();
        return super.migrateSchema(fromRelease, toRelease, p);
      }
    };

    assertThatExceptionOfType(EngineException.class).isThrownBy(() -> upgrade("idle", steps, cancellation))
        .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));

    assertThat(steps.seen).containsExactly("migrate 0.0.18 to 0.0.20 at 0.0.18 upgrading 1");
    assertThat(state()).isEqualTo("0.0.18 upgrading 1");
  }

  private UpgradeResult upgrade(String upgradeState, Upgrader.Steps steps, Cancellation cancellation)
      throws SQLException {
    String from = state().split(" ")[0];
    return upgrader.upgrade(APP, from, upgradeState, () -> TestPostgres.admin(userDatabase), steps,
        new Call(cancellation, progress::add, null));
  }

  private void assertGuardRefusesOthers() {
    assertThatExceptionOfType(EngineException.class).isThrownBy(() -> guard.permit(APP))
        .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.UPGRADE_IN_PROGRESS));
  }

  /** The metadata row: release, upgrade state and step. */
  private String state() throws SQLException {
    try (Connection c = metadata.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT release, upgrade_state, upgrade_step FROM iasql_database WHERE pg_name = 'app'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getString(1) + " " + rs.getString(2) + " " + rs.getObject(3);
    }
  }

  private void setRelease(String release) throws SQLException {
    try (Connection c = metadata.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE iasql_database SET release = ? WHERE pg_name = 'app'")) {
      ps.setString(1, release);
      ps.executeUpdate();
    }
  }
}
