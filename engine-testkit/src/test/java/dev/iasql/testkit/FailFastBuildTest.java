package dev.iasql.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iasql.engine.Cluster;
import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.postgres.PostgresCluster;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** build() fails with the cause when the cluster cannot be reached: a wrong password, a port nobody listens on. */
@ExtendWith(IasqlExtension.class)
class FailFastBuildTest {

  @Test
  void aWrongAdminPasswordNamesTheCause(PostgresCluster c) {
    Cluster wrong = new Cluster(c.host(), c.port(), c.adminUser(), "not-the-password", c::bridgeConnInfo,
        c::bridgeConnInfo);
    EngineException e = catchThrowableOfType(EngineException.class,
        () -> Engine.configure().cluster(wrong).discoverExtensions(false).build().close());
    assertThat(e.code()).isEqualTo(ErrorCode.CLUSTER_UNREACHABLE);
    assertThat(e.getMessage()).contains(c.host() + ":" + c.port()).contains("password authentication failed");
  }

  @Test
  void aClosedPortNamesTheCause(PostgresCluster c) throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Cluster nobody = new Cluster(c.host(), closed, c.adminUser(), c.adminPassword(), c::bridgeConnInfo,
        c::bridgeConnInfo);
    EngineException e = catchThrowableOfType(EngineException.class,
        () -> Engine.configure().cluster(nobody).discoverExtensions(false).build().close());
    assertThat(e.code()).isEqualTo(ErrorCode.CLUSTER_UNREACHABLE);
    assertThat(e.getMessage()).contains(":" + closed).containsIgnoringCase("refused");
  }
}
