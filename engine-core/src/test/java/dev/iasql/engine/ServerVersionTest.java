package dev.iasql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import org.junit.jupiter.api.Test;

/** An embedder on a PostgreSQL the engine cannot use is told so at build(), not by a failing column later. */
class ServerVersionTest {

  @Test
  void olderThanFifteenIsRefusedWithBothVersions() {
    EngineException e = catchThrowableOfType(EngineException.class,
        () -> ClusterCheck.requireSupportedServer(140011, "14.11"));
    assertThat(e.code()).isEqualTo(ErrorCode.POSTGRES_NOT_SUPPORTED);
    assertThat(e.getMessage()).isEqualTo("PostgreSQL >= 15 required, found 14.11");
  }

  @Test
  void fifteenAndNewerAreAccepted() {
    assertThatCode(() -> ClusterCheck.requireSupportedServer(150000, "15.0")).doesNotThrowAnyException();
    assertThatCode(() -> ClusterCheck.requireSupportedServer(170005, "17.5")).doesNotThrowAnyException();
  }
}
