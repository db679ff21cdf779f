package dev.iasql.aws.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.iasql.engine.Call;
import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.guard.Permit;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.postgres.PostgresCluster;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.TestDatabase;
import dev.iasql.testkit.TestDatabases;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A permit is bound to the engine that issued it and to the database's release when it was issued. */
@ExtendWith(IasqlExtension.class)
class PermitAcrossUpgradeTest {

  @Test
  void aPermitIssuedBeforeAnUpgradeIsRefusedAfterIt(TestDatabases dbs, Engine engine) {
    TestDatabase db = dbs.createAt(ReleaseCatalog.V0_0_18);
    Permit old = engine.permit(db.databaseName());
    assertThat(old.release()).isEqualTo(ReleaseCatalog.V0_0_18);
    engine.upgrade(db.databaseName(), Call.create());

    Throwable refused = catchThrowable(() -> engine.install(old, List.of("aws_account"), Call.create()));
    assertThat(refused).isInstanceOf(EngineException.class);
    EngineException e = (EngineException) refused;
    assertThat(e.code()).isEqualTo(ErrorCode.STALE_PERMIT);
    assertThat(e.getMessage()).contains("0.0.18").contains(engine.releases().latest());
    assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("new permit"));

    assertThat(engine.install(engine.permit(db.databaseName()), List.of("aws_account"), Call.create())
        .installedModules()).as("a new permit works").contains("aws_account");
  }

  @Test
  void aPermitOfOneEngineIsRefusedByAnother(TestDatabase db, Engine engine, PostgresCluster cluster) {
    Permit mine = engine.permit(db.databaseName());
    try (Engine other = Engine.configure().postgres(cluster).discoverExtensions(false)
        .reconcileEvery(Duration.ofHours(1)).build()) {
      Throwable refused = catchThrowable(() -> other.install(mine, List.of("aws_account"), Call.create()));
      assertThat(refused).isInstanceOf(EngineException.class);
      assertThat(((EngineException) refused).code()).isEqualTo(ErrorCode.STALE_PERMIT);
    }
  }
}
