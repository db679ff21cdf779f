package dev.iasql.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./iasql serve --postgres-url} on Debian's own PostgreSQL (not zonky's), with the URL a user of such a cluster
 * writes: no password in it. The password comes as libpq's does ({@code PGPASSWORD}, else a password file of mode
 * 0600), or there is none, when pg_hba trusts 127.0.0.1. Either way a tenant creates a database, installs modules
 * and calls the engine through SQL: the bridge's loopback into its database (as its owner role) works, which on a
 * trust cluster dblink would refuse a non-superuser.
 */
class DebianClusterTest {
  private static final String ADMIN_PASSWORD = "debian-admin-secret";
  private static final List<String> TRUST = List.of("host all all 127.0.0.1/32 trust");
  private static final List<String> SCRAM = List.of("host all all 127.0.0.1/32 scram-sha-256");

  private static DebianPostgres pg;
  private static Moto moto;

  @TempDir
  Path temp;
  /** The login of the database {@link #serveATenant} made. */
  private String tenantRole;

  @BeforeAll
  static void start() throws Exception {
    moto = Moto.start();
    pg = DebianPostgres.start(ADMIN_PASSWORD, SCRAM);
  }

  @AfterAll
  static void stop() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  private static String url() {
    return "postgresql://postgres@127.0.0.1:" + pg.port() + "/postgres";
  }

  /**
   * No PGPASSWORD from the environment the tests run in (empty is none, as in libpq), and a password file only where a
   * test gives one.
   */
  private Map<String, String> env(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("PGPASSWORD", "", "PGPASSFILE",
        temp.resolve("no-such-pgpass").toString()));
    env.putAll(extra);
    return env;
  }

  @Test
  void aTrustClusterServesATenantWithoutAnyPassword() throws Exception {
    pg.hba(TRUST);
    try (Connection admin = serveATenant("trusting", env(Map.of()))) {
      assertThat(Sql.rows(admin, "SELECT r.rolname AS owner, p.prosecdef AS definer, p.proconfig::text AS config,"
          + " has_function_privilege(?, p.oid, 'EXECUTE') AS tenant_may FROM pg_proc p JOIN pg_roles r"
          + " ON r.oid = p.proowner WHERE p.oid = 'iasql_engine.trusted_loopback(text)'::regprocedure",
          tenantRole)).as("the loopback goes through the admin's connector, which the tenant cannot call")
          .containsExactly(Map.of("owner", "postgres", "definer", true,
              "config", "{\"search_path=pg_catalog, pg_temp\"}", "tenant_may", false));
    }
  }

  @Test
  void aScramClusterServesATenantWithThePasswordFromPgpassword() throws Exception {
    pg.hba(SCRAM);
    try (Connection admin = serveATenant("scrammed", env(Map.of("PGPASSWORD", ADMIN_PASSWORD)))) {
      assertThat(Sql.value(admin, "SELECT to_regprocedure('iasql_engine.trusted_loopback(text)') IS NULL"))
          .as("the owner's own password-checked loopback").isEqualTo(true);
    }
  }

  @Test
  void aPasswordFileOfMode0600IsUsedAndOneOf0644Ignored() throws Exception {
    pg.hba(SCRAM);
    Path passFile = temp.resolve("pgpass");
    Files.writeString(passFile, "127.0.0.1:" + pg.port() + ":*:postgres:" + ADMIN_PASSWORD + "\n");
    Files.setPosixFilePermissions(passFile, PosixFilePermissions.fromString("rw-------"));
    Map<String, String> env = env(Map.of("PGPASSFILE", passFile.toString()));
    try (ServerProcess server = ServerProcess.start(temp.resolve("d1"), env, "serve", "--postgres-url", url())
        .awaitReady()) {
      assertThat(server.terminate(Duration.ofSeconds(60))).isZero();
    }

    Files.setPosixFilePermissions(passFile, PosixFilePermissions.fromString("rw-r--r--"));
    try (ServerProcess server = ServerProcess.start(temp.resolve("d2"), env, "serve", "--postgres-url", url())) {
      assertThat(server.awaitExit(Duration.ofSeconds(90))).as("no password: the cluster refuses the admin")
          .isNotZero();
      assertThat(server.log()).contains("has group or world access").contains("ignored")
          .doesNotContain(ADMIN_PASSWORD);
    }
  }

  /**
   * Serves the cluster, creates a database with {@code iasql db create}, and as its tenant installs aws_account and
   * aws_vpc (reading moto) and runs a sync; returns an admin session in that database, whose password-less cluster
   * admin reaches it (the test's own; the engine uses the URL and environment given).
   */
  private Connection serveATenant(String name, Map<String, String> env) throws Exception {
    try (ServerProcess server = ServerProcess.start(temp.resolve("data"), env, "serve", "--postgres-url", url(),
        "--aws-endpoint", moto.endpoint()).awaitReady();
         ServerProcess create = ServerProcess.start(temp.resolve("data"), env, "db", "create", name, "--url-only",
             "--postgres-url", url())) {
      assertThat(create.awaitExit(Duration.ofSeconds(90))).as(create.describe()).isZero();
      String tenantUrl = create.stdout().get(create.stdout().size() - 1);
      try (Connection tenant = ServeAndDbTest.connect(tenantUrl)) {
        tenantRole = (String) Sql.value(tenant, "SELECT current_user::text");
        assertThat(tenantRole).startsWith("iasql_");
        Sql.rows(tenant, "SELECT * FROM iasql_install('aws_account')");
        Sql.exec(tenant, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
            moto.account().accessKeyId(), moto.account().secretAccessKey());
        Sql.rows(tenant, "SELECT * FROM iasql_install('aws_vpc')");
        assertThat(Sql.value(tenant, "SELECT count(*) FROM vpc WHERE is_default")).isEqualTo(1L);
        Sql.rows(tenant, "SELECT * FROM iasql_sync()");
        assertThat(Sql.value(tenant, "SELECT status FROM iasql_operation ORDER BY id DESC LIMIT 1"))
            .isEqualTo("done");
      }
      Connection admin = pg.admin(ADMIN_PASSWORD, name);
      assertThat(server.terminate(Duration.ofSeconds(60))).isZero();
      return admin;
    }
  }
}
