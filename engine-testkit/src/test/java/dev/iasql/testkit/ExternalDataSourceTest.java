package dev.iasql.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.iasql.engine.Engine;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.postgres.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/** {@code PostgresCluster.external(DataSource)}: the admin data source a host already has, as one call. */
@ExtendWith(IasqlExtension.class)
class ExternalDataSourceTest {

  private static PGSimpleDataSource admin(PostgresCluster c, String password) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {c.host()});
    ds.setPortNumbers(new int[] {c.port()});
    ds.setDatabaseName("postgres");
    ds.setUser(c.adminUser());
    ds.setPassword(password);
    return ds;
  }

  @Test
  void anEngineStartsOnAPgjdbcDataSource(PostgresCluster c) {
    try (PostgresCluster external = PostgresCluster.external(admin(c, c.adminPassword()));
        Engine engine = Engine.configure().postgres(external).discoverExtensions(false).build()) {
      assertThat(external.host()).isEqualTo(c.host());
      assertThat(external.port()).isEqualTo(c.port());
      assertThat(external.adminUser()).isEqualTo(c.adminUser());
      assertThat(engine.listDatabases()).isNotNull();
    }
  }

  @Test
  void aPoolWrappingOneIsUnwrapped(PostgresCluster c) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(admin(c, c.adminPassword()));
    config.setMaximumPoolSize(1);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      PostgresCluster external = PostgresCluster.external(pool);
      assertThat(external.port()).isEqualTo(c.port());
      assertThat(external.adminPassword()).isEqualTo(c.adminPassword());
    }
  }

  @Test
  void aDataSourceWithoutHostAndLoginIsRefusedNamingWhatToPassInstead(PostgresCluster c) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(c.jdbcUrl("postgres"));
    config.setUsername(c.adminUser());
    config.setPassword(c.adminPassword());
    config.setMaximumPoolSize(1);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      assertThatThrownBy(() -> PostgresCluster.external(pool))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("HikariDataSource").hasMessageContaining("PGSimpleDataSource")
          .hasMessageContaining("external(url)").hasMessageNotContaining(c.adminPassword());
    }
  }

  @Test
  void aWrongPasswordFailsTheBuildWithTheCause(PostgresCluster c) {
    PostgresCluster wrong = PostgresCluster.external(admin(c, "not-the-password"));
    EngineException e = catchThrowableOfType(EngineException.class,
        () -> Engine.configure().postgres(wrong).discoverExtensions(false).build().close());
    assertThat(e.code()).isEqualTo(ErrorCode.CLUSTER_UNREACHABLE);
    assertThat(e.getMessage()).contains("password authentication failed").doesNotContain("not-the-password");
  }
}
