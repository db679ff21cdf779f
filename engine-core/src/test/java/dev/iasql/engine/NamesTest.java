package dev.iasql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.spi.ModuleName;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NamesTest {
  record Case(String reason, String input, boolean valid) {
    @Override
    public String toString() {
      return reason;
    }
  }

  static Stream<Case> databaseNames() {
    return Stream.of(
        new Case("plain", "prod", true),
        new Case("digits and underscores", "team_1_prod", true),
        new Case("63 characters is the limit", "a".repeat(63), true),
        new Case("64 characters is too long", "a".repeat(64), false),
        new Case("upper case", "Prod", false),
        new Case("dash", "my-db", false),
        new Case("leading digit", "1db", false),
        new Case("empty", "", false),
        new Case("system database", "postgres", false),
        new Case("template", "template1", false),
        new Case("the metadata database", "iasql_metadata", false),
        new Case("pg_ prefix", "pg_thing", false),
        new Case("quote injection", "a\"; DROP DATABASE postgres; --", false));
  }

  @ParameterizedTest
  @MethodSource("databaseNames")
  void databaseNames(Case c) {
    if (c.valid()) {
      assertThat(DatabaseName.of(c.input()).value()).as(c.reason()).isEqualTo(c.input());
    } else {
      assertThatThrownBy(() -> DatabaseName.of(c.input())).as(c.reason()).isInstanceOf(EngineException.class)
          .extracting(e -> ((EngineException) e).code()).isEqualTo(ErrorCode.INVALID_DATABASE_NAME);
    }
  }

  @ParameterizedTest
  @MethodSource("databaseNames")
  void moduleNamesNormaliseCaseAndRejectTheRest(Case c) {
    String input = c.input();
    boolean valid = input.matches("[A-Za-z][A-Za-z0-9_]{0,62}");
    if (valid) {
      assertThat(ModuleName.of(input).value()).as(c.reason()).isEqualTo(input.toLowerCase(java.util.Locale.ROOT));
    } else {
      assertThatThrownBy(() -> ModuleName.of(input)).as(c.reason()).isInstanceOf(EngineException.class)
          .extracting(e -> ((EngineException) e).code()).isEqualTo(ErrorCode.UNKNOWN_MODULE);
    }
  }
}
