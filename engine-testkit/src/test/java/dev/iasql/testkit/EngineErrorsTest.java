package dev.iasql.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.iasql.engine.Call;
import dev.iasql.engine.DatabaseName;
import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.postgres.PostgresCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Whatever an embedder does wrong, or whatever goes wrong under it, it meets an {@link EngineException} with its code:
 * never an IllegalArgumentException, IllegalStateException, NullPointerException or a jOOQ/JDBC exception.
 */
@ExtendWith(IasqlExtension.class)
class EngineErrorsTest {

  private static void failsWith(ErrorCode code, String text, ThrowingCallable call) {
    Throwable t = catchThrowable(call);
    assertThat(t).isInstanceOf(EngineException.class);
    assertThat(((EngineException) t).code()).as(t.getMessage()).isEqualTo(code);
    assertThat(t.getMessage()).contains(text);
  }

  @Test
  void badBuilderSettingsAreInvalidArguments() {
    failsWith(ErrorCode.INVALID_ARGUMENT, "poolSize", () -> Engine.configure().poolSize(1));
    failsWith(ErrorCode.INVALID_ARGUMENT, "reconcileEvery", () -> Engine.configure().reconcileEvery(Duration.ZERO));
    failsWith(ErrorCode.INVALID_ARGUMENT, "tenantConnectionLimit", () -> Engine.configure().tenantConnectionLimit(0));
    failsWith(ErrorCode.INVALID_ARGUMENT, "lockTimeout", () -> Engine.configure().lockTimeout(Duration.ofSeconds(-1)));
    failsWith(ErrorCode.INVALID_ARGUMENT, "cluster is null", () -> Engine.configure().cluster(null));
    failsWith(ErrorCode.INVALID_ARGUMENT, "postgres(...)", () -> Engine.configure().build());
  }

  @Test
  void badArgumentsOfTheEngineAreInvalidArguments(Engine engine, TestDatabase db, TestDatabase other)
      throws Exception {
    failsWith(ErrorCode.INVALID_ARGUMENT, "database is null", () -> engine.permit(null));
    failsWith(ErrorCode.INVALID_ARGUMENT, "release is null", () -> engine.createDatabase("x_never", null));
    failsWith(ErrorCode.INVALID_DATABASE_NAME, "cannot name a database",
        () -> engine.createDatabase("Not A Name"));
    failsWith(ErrorCode.INVALID_ARGUMENT, "permit is null", () -> engine.install(null, List.of(), Call.create()));
    failsWith(ErrorCode.INVALID_ARGUMENT, "call is null", () -> engine.apply(engine.permit(db.databaseName()), null));
    failsWith(ErrorCode.INVALID_ARGUMENT, "names is null",
        () -> engine.install(engine.permit(db.databaseName()), null, Call.create()));
    try (Connection elsewhere = other.admin()) {
      failsWith(ErrorCode.INVALID_ARGUMENT, "not on " + db.name(), () -> engine.sync(
          engine.permit(db.databaseName()), Call.on(elsewhere, dev.iasql.engine.Cancellation.create(),
              Call.Progress.NONE)));
    }
  }

  @Test
  void aStoppedEngineSaysSoEverywhere(PostgresCluster cluster, TestDatabase db) {
    Engine stopped = Engine.configure().postgres(cluster).discoverExtensions(false)
        .reconcileEvery(Duration.ofHours(1)).build();
    stopped.close();
    failsWith(ErrorCode.ENGINE_STOPPED, "stopped", stopped::listDatabases);
    failsWith(ErrorCode.ENGINE_STOPPED, "stopped", () -> stopped.permit(db.databaseName()));
    failsWith(ErrorCode.ENGINE_STOPPED, "stopped", () -> stopped.createDatabase(DatabaseName.of("x_never")));
    failsWith(ErrorCode.ENGINE_STOPPED, "stopped", () -> stopped.dropDatabase(db.databaseName()));
    failsWith(ErrorCode.ENGINE_STOPPED, "stopped", () -> stopped.upgrade(db.databaseName(), Call.create()));
  }

  /** A connection the engine works on dies under it: the SQL error reaches the embedder coded, cause attached. */
  @Test
  void aSqlFailureUnderAnOperationIsCoded(Engine engine, TestDatabase db, PostgresCluster cluster) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", cluster.adminUser());
    p.setProperty("password", cluster.adminPassword());
    Connection c = DriverManager.getConnection(cluster.jdbcUrl(db.name()), p);
    c.close(); // given to the call already closed: every statement on it fails in the driver
    Throwable t = catchThrowable(() -> engine.uninstall(engine.permit(db.databaseName()), List.of("nothing"),
        Call.on(c, dev.iasql.engine.Cancellation.create(), Call.Progress.NONE)));
    assertThat(t).isInstanceOf(EngineException.class);
    assertThat(((EngineException) t).code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
    assertThat(t.getMessage()).startsWith("uninstall failed: ");
    assertThat(t.getCause()).isInstanceOf(java.sql.SQLException.class);
  }
}
