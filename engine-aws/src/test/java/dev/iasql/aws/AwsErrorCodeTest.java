package dev.iasql.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The AWS modules' SQLSTATEs: in their block, ascending, and the very ones clients matched on before they moved. */
class AwsErrorCodeTest {
  @Test
  void codesAreUniqueAscendingAndInTheAwsBlock() {
    List<String> states = Arrays.stream(AwsErrorCode.values()).map(AwsErrorCode::sqlState).toList();
    assertThat(states).doesNotHaveDuplicates();
    assertThat(states).as("declared in ascending order, so the block stays readable").isSorted();
    assertThat(states).allMatch(AwsErrorCode.BLOCK::contains, "inside " + AwsErrorCode.BLOCK);
    assertThat(AwsErrorCode.BLOCK.codes()).containsExactly((dev.iasql.engine.error.Code[]) AwsErrorCode.values());
  }

  @Test
  void theSqlstatesUsersSeeDidNotChange() {
    Map<String, String> was = new LinkedHashMap<>();
    Arrays.stream(AwsErrorCode.values()).forEach(c -> was.put(c.name(), c.sqlState()));
    assertThat(was).containsExactly(Map.entry("CLOUD_CREDENTIALS", "IQ501"), Map.entry("CLOUD_REQUEST_FAILED",
        "IQ502"), Map.entry("NO_PROGRESS", "IQ503"), Map.entry("NO_CLOUD_ACCOUNT", "IQ504"),
        Map.entry("UNKNOWN_REGION", "IQ505"), Map.entry("CLOUD_UNREACHABLE", "IQ506"),
        Map.entry("CLOUD_KEPT_CHANGING", "IQ507"));
  }
}
