package dev.iasql.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.sql.AdvisoryLocks;
import dev.iasql.engine.sql.AdvisoryLocks.Key;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The one advisory-lock template, on a real database (as the tenant's login: a tenant may take any advisory lock in its
 * own database, which is why every wait is bounded): the body's error survives a failed unlock, a lock is let go of
 * after the body throws, a second holder waits at most its bound, and the keys SQL names are the Java ones.
 */
@ExtendWith(IasqlExtension.class)
class AdvisoryLocksTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String REFUSE = "SELECT public.iasql_refuse_while_upgrading()";

  @Test
  void theBodysErrorSurvivesAnUnlockThatFails(TestDatabase db) throws SQLException {
    Connection c = db.tenant();
    IllegalStateException body = new IllegalStateException("the body failed");

    Throwable thrown = catchThrowable(() -> AdvisoryLocks.withLock(c, Key.CLOUD, WAIT, () -> {
      c.close(); // so the unlock cannot run
      throw body;
    }));

    assertThat(thrown).as("the body's error, not the unlock's").isSameAs(body);
    assertThat(thrown.getSuppressed()).as("the unlock's failure rides along").singleElement()
        .isInstanceOf(SQLException.class);
  }

  @Test
  void theLockIsLetGoOfAfterTheBodyThrows(TestDatabase db) throws SQLException {
    try (Connection c = db.tenant();
        Connection other = db.tenant()) {
      Throwable thrown = catchThrowable(() -> AdvisoryLocks.withLock(c, Key.CLOUD, WAIT, () -> {
        assertThat(AdvisoryLocks.tryLock(other, Key.CLOUD)).as("held while the body runs").isFalse();
        throw new IllegalStateException("the body failed");
      }));

      assertThat(thrown).hasMessage("the body failed").hasNoSuppressedExceptions();
      assertThat(AdvisoryLocks.tryLock(other, Key.CLOUD)).as("let go of after the body threw").isTrue();
      assertThat(AdvisoryLocks.unlock(other, Key.CLOUD)).isTrue();
    }
  }

  /** A failed statement aborts the transaction, which refuses the unlock: rolled back, then let go of. */
  @Test
  void theLockIsLetGoOfAfterTheBodyAbortedItsTransaction(TestDatabase db) throws SQLException {
    try (Connection c = db.tenant();
        Connection other = db.tenant()) {
      c.setAutoCommit(false);
      Throwable thrown = catchThrowable(() -> AdvisoryLocks.withLock(c, Key.CLOUD, WAIT,
          () -> Pg.value(c, "SELECT 1 / 0")));

      assertThat(thrown).isInstanceOf(SQLException.class).hasNoSuppressedExceptions();
      assertThat(((SQLException) thrown).getSQLState()).as("division by zero").isEqualTo("22012");
      assertThat(AdvisoryLocks.tryLock(other, Key.CLOUD)).as("let go of after the rollback").isTrue();
    }
  }

  @Test
  void aSecondHolderWaitsAtMostItsBoundAndKeepsItsOwnLockTimeout(TestDatabase db) throws SQLException {
    try (Connection holder = db.tenant();
        Connection second = db.tenant()) {
      Pg.exec(second, "SET lock_timeout = '7s'");
      AdvisoryLocks.withLock(holder, Key.CLOUD, WAIT, () -> {
        String state = Pg.sqlStateOf("a second holder", () -> AdvisoryLocks.withLock(second, Key.CLOUD,
            Duration.ofMillis(200), () -> {
              throw new AssertionError("the body must not run without the lock");
            }));
        assertThat(state).as("lock_not_available").isEqualTo("55P03");
        return null;
      });

      assertThat(Pg.value(second, "SHOW lock_timeout")).as("the session's own bound, put back").isEqualTo("7s");
    }
  }

  @Test
  void aSecondHolderGetsTheLockOnceTheFirstLetsGo(TestDatabase db) throws Exception {
    try (Connection holder = db.tenant();
        Connection second = db.tenant()) {
      int pid = ((Number) Pg.value(second, "SELECT pg_backend_pid()")).intValue();
      CompletableFuture<String> waiter = AdvisoryLocks.withLock(holder, Key.CLOUD, WAIT, () -> {
        CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
          try {
            return AdvisoryLocks.withLock(second, Key.CLOUD, WAIT, () -> "ran");
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
        // The second session is seen waiting before the first lets go, so the test shows a wait, not a free lock.
        try (Connection watcher = db.tenant()) {
          while (Pg.column(watcher, "SELECT 1 FROM pg_locks WHERE pid = ? AND locktype = 'advisory' AND NOT granted",
              pid).isEmpty()) {
            assertThat(f).as("waits while the lock is held").isNotDone();
            pause();
          }
        }
        return f;
      });

      assertThat(waiter.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("ran");
    }
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code iasql_refuse_while_upgrading()} names the lease's key in SQL: holding the Java key must trip it. */
  @Test
  void theSqlNamesTheLeaseKeyJavaHolds(TestDatabase db) throws SQLException {
    try (Connection lease = db.tenant();
        Connection caller = db.tenant()) {
      Pg.exec(caller, REFUSE);
      assertThat(AdvisoryLocks.tryLock(lease, Key.UPGRADE_LEASE)).isTrue();

      assertThat(Pg.sqlStateOf(() -> Pg.exec(caller, REFUSE)))
          .isEqualTo(ErrorCode.UPGRADE_IN_PROGRESS.sqlState());
      assertThat(AdvisoryLocks.unlock(lease, Key.UPGRADE_LEASE)).isTrue();
    }
  }

  @Test
  void everyKeyIsItsOwnAndScopesAreKept(TestDatabase db) throws SQLException {
    assertThat(Arrays.stream(Key.values()).filter(Key::fixed).map(k -> k.classId() + "/" + k.objectId()))
        .doesNotHaveDuplicates();
    assertThat(Arrays.stream(Key.values()).filter(k -> !k.fixed()).map(Key::classId))
        .as("a class whose object ids are drawn shares it with no fixed key")
        .doesNotContainAnyElementsOf(Arrays.stream(Key.values()).filter(Key::fixed).map(Key::classId).toList());
    try (Connection c = db.tenant()) {
      assertThatIllegalArgumentException().isThrownBy(() -> AdvisoryLocks.withLock(c, Key.INSTALL, WAIT, () -> null))
          .withMessageContaining("INSTALL is a TRANSACTION lock");
    }
  }
}
