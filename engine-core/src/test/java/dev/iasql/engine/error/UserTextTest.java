package dev.iasql.engine.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.engine.DatabaseName;
import dev.iasql.engine.spi.ModuleName;
import org.junit.jupiter.api.Test;

class UserTextTest {
  @Test
  void controlCharactersBecomeVisibleEscapes() {
    assertThat(UserText.escape("x\n2026-12-06 INFO fake line")).isEqualTo("x\\n2026-12-06 INFO fake line");
    assertThat(UserText.escape("a\r\nb\tc\\d")).isEqualTo("a\\r\\nb\\tc\\d");
    assertThat(UserText.escape(UserText.escape("a\nb\u001b"))).as("idempotent").isEqualTo("a\\nb\\u001b");
    assertThat(UserText.escape("\u001b[31mred\u001b[0m")).isEqualTo("\\u001b[31mred\\u001b[0m");
    assertThat(UserText.escape("nel\u0085ls\u2028ps\u2029del\u007f")).isEqualTo("nel\\u0085ls\\u2028ps\\u2029del\\u007f");
    assertThat(UserText.escape("plain été ✓")).isEqualTo("plain été ✓");
  }

  @Test
  void aQuotedValueIsBounded() {
    String huge = "b".repeat(100 * 1024 * 1024);
    String quoted = UserText.quote(huge);
    assertThat(quoted).hasSizeLessThan(120).endsWith("…\" (104857600 characters)");
    assertThat(UserText.quote("a\nb")).isEqualTo("\"a\\nb\"");
  }

  /** The names a tenant passes end up in error messages, the operation log and the server log. */
  @Test
  void invalidNamesAreQuotedEscapedAndBoundedInTheirMessages() {
    assertThatThrownBy(() -> ModuleName.of("x\n2026-12-06 INFO fake line" + "b".repeat(1_000_000)))
        .isInstanceOfSatisfying(EngineException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_MODULE);
          assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(200).startsWith("\"x\\n2026-12-06 info fake line");
        });
    assertThatThrownBy(() -> DatabaseName.of("\u001b[2J" + "d".repeat(1_000_000)))
        .isInstanceOfSatisfying(EngineException.class, e ->
            assertThat(e.getMessage()).doesNotContain("\u001b").hasSizeLessThan(200).startsWith("\"\\u001b[2J"));
  }
}
