package dev.iasql.engine.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQLSTATE catalogue clients match on: unique, in our own class, ordered within blocks. */
class ErrorCodeTest {
  @Test
  void codesAreUniqueImplementationDefinedAndOrdered() {
    List<String> states = Arrays.stream(ErrorCode.values()).map(ErrorCode::sqlState).toList();
    assertThat(states).doesNotHaveDuplicates();
    assertThat(states).allMatch(s -> s.matches("IQ[0-9]{3}"), "five characters in class IQ");
    assertThat(states).as("declared in ascending order, so blocks stay readable").isSorted();
  }

  @Test
  void blocksFollowTheirCategories() {
    for (ErrorCode c : ErrorCode.values()) {
      char block = c.sqlState().charAt(2);
      if (block == '9') {
        assertThat(c.category()).as(c.name()).isEqualTo(Category.INTERNAL);
      }
      if (block == '3' || block == '4') {
        assertThat(c.category()).as(c.name()).isEqualTo(Category.USER);
      }
    }
  }
}
