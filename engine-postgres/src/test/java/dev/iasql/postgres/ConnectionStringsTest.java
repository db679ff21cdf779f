package dev.iasql.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConnectionStringsTest {

  record Case(String reason, String input, String expected) {
    @Override
    public String toString() {
      return reason;
    }
  }

  static Stream<Case> conninfoValues() {
    return Stream.of(
        new Case("plain value is quoted anyway", "postgres", "'postgres'"),
        new Case("empty value", "", "''"),
        new Case("space stays inside the quotes", "my db", "'my db'"),
        new Case("single quote is escaped", "o'brien", "'o\\'brien'"),
        new Case("backslash is escaped", "a\\b", "'a\\\\b'"),
        new Case("injected parameter stays a value", "x' password='y", "'x\\' password=\\'y'"),
        new Case("socket path", "/tmp/iasql-pg-1/run", "'/tmp/iasql-pg-1/run'"));
  }

  @ParameterizedTest
  @MethodSource("conninfoValues")
  void conninfoValuesAreQuoted(Case c) {
    assertThat(ConnectionStrings.quoteConninfoValue(c.input())).as(c.reason()).isEqualTo(c.expected());
  }

  @Test
  void conninfoKeepsParameterOrder() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("host", "/run/x");
    p.put("port", "5432");
    p.put("dbname", "it's");
    assertThat(ConnectionStrings.conninfo(p)).isEqualTo("host='/run/x' port='5432' dbname='it\\'s'");
  }

  static Stream<Case> percentEncoding() {
    return Stream.of(
        new Case("unreserved characters stay", "Az09-._~", "Az09-._~"),
        new Case("URI delimiters are encoded", "@:/?#[]", "%40%3A%2F%3F%23%5B%5D"),
        new Case("plus is encoded (pgjdbc decodes + as space)", "a+b", "a%2Bb"),
        new Case("space and percent", "a b%", "a%20b%25"),
        new Case("non-ASCII as UTF-8", "é€", "%C3%A9%E2%82%AC"),
        new Case("supplementary character", "😀", "%F0%9F%98%80"));
  }

  @ParameterizedTest
  @MethodSource("percentEncoding")
  void percentEncodingRoundTrips(Case c) {
    assertThat(ConnectionStrings.percentEncode(c.input())).as(c.reason()).isEqualTo(c.expected());
    assertThat(ConnectionStrings.percentDecode(c.expected(), false, "value")).as(c.reason()).isEqualTo(c.input());
    assertThat(ConnectionStrings.percentDecode(c.expected(), true, "value")).as(c.reason()).isEqualTo(c.input());
  }

  @Test
  void decodingUnescapedTextKeepsIt() {
    assertThat(ConnectionStrings.percentDecode("é😀x", false, "value")).isEqualTo("é😀x");
    assertThat(ConnectionStrings.percentDecode("a+b", false, "value")).isEqualTo("a+b");
    assertThat(ConnectionStrings.percentDecode("a+b", true, "value")).isEqualTo("a b");
  }

  @Test
  void malformedEscapesAreRefusedWithoutQuotingTheValue() {
    for (String bad : new String[] {"secret%", "secret%4", "secret%zz"}) {
      assertThatThrownBy(() -> ConnectionStrings.percentDecode(bad, false, "password"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("password")
          .hasMessageNotContaining("secret");
    }
  }

  @Test
  void ipv6HostsAreBracketedInUrls() {
    assertThat(ConnectionStrings.urlHost("::1")).isEqualTo("[::1]");
    assertThat(ConnectionStrings.urlHost("db.example.com")).isEqualTo("db.example.com");
  }

  @Test
  void socketDirectoryStaysInTheDataDirectoryOnlyWhenShortAndPlain() {
    assertThat(SocketDirectory.usable(Path.of("/tmp/iasql-pg-123/run"), 65535)).isTrue();
    assertThat(SocketDirectory.usable(Path.of("/tmp/" + "x".repeat(80) + "/run"), 5432)).as("too long").isFalse();
    assertThat(SocketDirectory.usable(Path.of("/tmp/my data/run"), 5432)).as("space").isFalse();
    assertThat(SocketDirectory.usable(Path.of("/tmp/a,b/run"), 5432)).as("comma splits the list").isFalse();
  }
}
