package dev.iasql.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterUrlTest {

  record Valid(String reason, String url, String host, int port, String user, String password) {
    @Override
    public String toString() {
      return reason;
    }
  }

  static Stream<Valid> validUrls() {
    return Stream.of(
        new Valid("libpq URI with database", "postgresql://admin:s3cret@db.example.com:6543/postgres",
            "db.example.com", 6543, "admin", "s3cret"),
        new Valid("postgres:// scheme, no database, default port", "postgres://admin:pw@db", "db", 5432, "admin", "pw"),
        new Valid("percent-encoded user and password, + is literal in libpq URIs",
            "postgresql://ad%40min:p%40ss%3Aw%2Fd+x@10.0.0.5:5432/", "10.0.0.5", 5432, "ad@min", "p@ss:w/d+x"),
        new Valid("IPv6 literal", "postgresql://u:p@[::1]:7000/db", "::1", 7000, "u", "p"),
        new Valid("credentials as query parameters", "postgresql://db:5433/x?user=u&password=p%26q", "db", 5433, "u", "p&q"),
        new Valid("pgjdbc URL", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=abc",
            "127.0.0.1", 5432, "postgres", "abc"),
        new Valid("pgjdbc URL decodes + as space, as pgjdbc does", "jdbc:postgresql://h/db?password=a+b%2Bc&user=u",
            "h", 5432, "u", "a b+c"),
        new Valid("scheme is case-insensitive, empty password allowed", "JDBC:PostgreSQL://h:1/d?user=u&password=",
            "h", 1, "u", ""),
        new Valid("host name with underscore (java.net.URI would refuse it)", "postgresql://u:p@my_db:5432",
            "my_db", 5432, "u", "p"));
  }

  @ParameterizedTest
  @MethodSource("validUrls")
  void parsesBothSpellings(Valid c) {
    ClusterUrl url = ClusterUrl.parse(c.url());
    assertThat(url).as(c.reason()).isEqualTo(new ClusterUrl(c.host(), c.port(), c.user(), c.password()));
    assertThat(url.toString()).as(c.reason()).doesNotContain("password=");
  }

  record Invalid(String reason, String url, String message) {
    @Override
    public String toString() {
      return reason;
    }
  }

  static Stream<Invalid> invalidUrls() {
    return Stream.of(
        new Invalid("unknown scheme", "mysql://u:SECRET@h/db", "must start with"),
        new Invalid("no host", "postgresql://u:SECRET@/db", "no host"),
        new Invalid("several hosts", "jdbc:postgresql://a,b/db?user=u&password=SECRET", "exactly one host"),
        new Invalid("no user", "postgresql://h/db?password=SECRET", "no user"),
        new Invalid("port not a number", "postgresql://u:SECRET@h:abc/db", "port"),
        new Invalid("port out of range", "postgresql://u:SECRET@h:70000/db", "out of range"),
        new Invalid("unsupported parameter", "jdbc:postgresql://h/db?user=u&password=SECRET&ssl=true", "'ssl'"),
        new Invalid("password twice", "postgresql://u:SECRET@h/db?password=SECRET", "twice"),
        new Invalid("malformed escape in password", "postgresql://u:SECRET%zz@h/db", "percent-encoding"),
        new Invalid("unclosed IPv6 bracket", "postgresql://u:SECRET@[::1/db", "']'"));
  }

  @ParameterizedTest
  @MethodSource("invalidUrls")
  void refusesUnusableUrlsWithoutShowingThePassword(Invalid c) {
    assertThatThrownBy(() -> ClusterUrl.parse(c.url())).as(c.reason())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(c.message())
        .hasMessageNotContaining("SECRET");
  }

  /** libpq's conventions for a URL without a password: PGPASSWORD, else the password file if only its owner reads it. */
  @Test
  void aUrlWithoutAPasswordTakesItAsLibpqDoes(@TempDir Path home) throws Exception {
    String url = "postgresql://admin@db.example:5433/";
    assertThat(ClusterUrl.parse(url, Map.of(), home).password()).as("no password anywhere: trust").isEmpty();
    assertThat(ClusterUrl.parse(url, Map.of("PGPASSWORD", "from-env"), home).password()).isEqualTo("from-env");
    assertThat(ClusterUrl.parse("postgresql://admin:in-url@db.example:5433/", Map.of("PGPASSWORD", "from-env"),
        home).password()).as("the URL's own wins").isEqualTo("in-url");

    Path pgpass = home.resolve(".pgpass");
    Files.writeString(pgpass, String.join("\n",
        "# host:port:database:username:password",
        "db.example:5432:*:admin:wrong-port",
        "db.example:5433:otherdb:admin:wrong-database",
        "db.example:5433:*:someone:wrong-user",
        "db.example:5433:*:admin:pa\\:ss\\\\word",
        "*:*:*:*:catch-all"));
    Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
    assertThat(ClusterUrl.parse(url, Map.of(), home).password()).as("first matching line, escapes undone")
        .isEqualTo("pa:ss\\word");
    assertThat(ClusterUrl.parse(url, Map.of("PGPASSWORD", "from-env"), home).password())
        .as("PGPASSWORD comes first").isEqualTo("from-env");
    assertThat(ClusterUrl.parse(url, Map.of("PGPASSWORD", ""), home).password())
        .as("an empty PGPASSWORD is none, as in libpq: the file is read").isEqualTo("pa:ss\\word");
    assertThat(ClusterUrl.parse("postgresql://other@elsewhere/", Map.of(), home).password()).isEqualTo("catch-all");

    Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(ClusterUrl.parse(url, Map.of(), home).password()).as("readable by others: ignored, as libpq does")
        .isEmpty();

    Path elsewhere = home.resolve("passfile");
    Files.writeString(elsewhere, "*:*:*:admin:from-pgpassfile\n");
    Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rw-------"));
    assertThat(ClusterUrl.parse(url, Map.of("PGPASSFILE", elsewhere.toString()), home).password())
        .isEqualTo("from-pgpassfile");
  }

  @Test
  void externalClusterSpellsItsConnectionStrings() {
    PostgresCluster cluster = PostgresCluster.external("postgresql://ad%27min:pa%5Css%27@db.example.com:6543/x");
    assertThat(cluster.host()).isEqualTo("db.example.com");
    assertThat(cluster.port()).isEqualTo(6543);
    assertThat(cluster.adminUser()).isEqualTo("ad'min");
    assertThat(cluster.adminPassword()).isEqualTo("pa\\ss'");
    assertThat(cluster.dataDirectory()).isEmpty();
    assertThat(cluster.jdbcUrl("my db")).isEqualTo("jdbc:postgresql://db.example.com:6543/my%20db");
    assertThat(cluster.bridgeConnInfo("t'1")).isEqualTo(
        "host='db.example.com' port='6543' dbname='t\\'1' user='ad\\'min' password='pa\\\\ss\\''");
    assertThat(cluster.tenantUrl("d b", "u@x", "p:w"))
        .isEqualTo("postgresql://u%40x:p%3Aw@db.example.com:6543/d%20b");
    assertThat(cluster.toString()).doesNotContain("pa\\ss");
    cluster.close();
  }

  @Test
  void embeddedOptionsValidate() {
    assertThat(EmbeddedOptions.forTests()).isEqualTo(new EmbeddedOptions(null, 0, Durability.FAST));
    assertThat(EmbeddedOptions.persistent(Path.of("rel/../data"), 5433))
        .isEqualTo(new EmbeddedOptions(Path.of("data").toAbsolutePath(), 5433, Durability.DURABLE));
    assertThatThrownBy(() -> new EmbeddedOptions(null, 70000, Durability.FAST))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EmbeddedOptions(null, 0, null)).isInstanceOf(NullPointerException.class);
    assertThat(EmbeddedOptions.forTests().maxConnections()).isEqualTo(300);
    assertThat(EmbeddedOptions.forTests().withMaxConnections(1000).maxConnections()).isEqualTo(1000);
    assertThatThrownBy(() -> EmbeddedOptions.forTests().withMaxConnections(19))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("max_connections must be 20-10000, not 19");
    assertThatThrownBy(() -> EmbeddedOptions.forTests().withMaxConnections(10_001))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 10001");
  }
}
