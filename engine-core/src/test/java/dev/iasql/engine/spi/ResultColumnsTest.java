package dev.iasql.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A result record gives a SQL function both its column list and its rows. */
class ResultColumnsTest {
  private record Everything(String name, @SqlType("character varying") String createdTableName, int count,
      long total, boolean done, Instant at, List<String> tags, @Secret String password) {}

  private record Odd(Object value) {}

  @SqlType("character varying")
  private record Varying(String name, @SqlType("text") String note, int count) {}

  @Test
  void columnsAreSnakeCaseAndTypedFromJavaUnlessTheRecordSaysOtherwise() {
    assertThat(ResultColumns.of(Everything.class)).isEqualTo("name text, created_table_name character varying,"
        + " count integer, total bigint, done boolean, at timestamptz, tags text[], password text");
  }

  @Test
  void aRowHasTheSameColumnsInOrderAndTimesAsIsoText() {
    Map<String, Object> row = ResultColumns.row(new Everything("a", "b", 1, 2L, true,
        Instant.parse("2026-12-06T15:00:00Z"), List.of("x"), "pw"));
    assertThat(row).containsExactly(Map.entry("name", "a"), Map.entry("created_table_name", "b"),
        Map.entry("count", 1), Map.entry("total", 2L), Map.entry("done", true),
        Map.entry("at", "2026-12-06T15:00:00Z"), Map.entry("tags", List.of("x")), Map.entry("password", "pw"));
    assertThat(ResultColumns.secret(Everything.class)).containsExactly("password");
  }

  @Test
  void aRecordsSqlTypeIsItsTextColumnsUnlessOneSaysOtherwise() {
    assertThat(ResultColumns.of(Varying.class)).isEqualTo("name character varying, note text, count integer");
  }

  @Test
  void aTypeWithNoSqlTypeIsNamed() {
    assertThatThrownBy(() -> ResultColumns.of(Odd.class)).hasMessageContaining("Odd.value")
        .hasMessageContaining("@SqlType");
  }
}
