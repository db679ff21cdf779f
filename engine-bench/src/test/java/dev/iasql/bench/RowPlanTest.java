package dev.iasql.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RowPlanTest {
  @Test
  void rulesMakeUpWhatTheImportsAndTheGroupsLeave() {
    RowPlan plan = RowPlan.of(10_000, 10, 1_000);

    assertThat(plan).isEqualTo(new RowPlan(10, 1_000, 8_990));
    assertThat(plan.total()).isEqualTo(10_000);
  }

  @Test
  void rulesAreSpreadEvenlyTheFirstGroupsTakingTheRemainder() {
    RowPlan plan = RowPlan.of(10_000, 10, 1_000);

    assertThat(plan.rulesOfGroup(0)).isEqualTo(9);
    assertThat(plan.rulesOfGroup(989)).isEqualTo(9);
    assertThat(plan.rulesOfGroup(990)).isEqualTo(8);
    assertThat(plan.rulesOfGroup(999)).isEqualTo(8);
    assertThat(IntStream.range(0, plan.groups()).map(plan::rulesOfGroup).sum()).isEqualTo(plan.rules());
  }

  @Test
  void noRulesWhenTheGroupsReachTheTargetAlone() {
    RowPlan plan = RowPlan.of(1_010, 10, 1_000);

    assertThat(plan.rules()).isZero();
    assertThat(plan.rulesOfGroup(0)).isZero();
  }

  @Test
  void aTargetBelowWhatIsThereAndTheGroupsIsRefused() {
    assertThatThrownBy(() -> RowPlan.of(1_000, 10, 1_000)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot reach 1000 rows");
    assertThatThrownBy(() -> RowPlan.of(10_000, 10, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void moreRulesThanTheGroupsCanKeepDistinctAreRefused() {
    assertThatThrownBy(() -> RowPlan.of(2L + 2 * RowPlan.MAX_RULES_PER_GROUP + 1, 0, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fit in 2 groups");
    assertThat(RowPlan.of(2L + 2 * RowPlan.MAX_RULES_PER_GROUP, 0, 2).rulesOfGroup(1))
        .isEqualTo(RowPlan.MAX_RULES_PER_GROUP);
  }

  @Test
  void aRankOutsideTheGroupsIsRefused() {
    RowPlan plan = RowPlan.of(100, 0, 10);

    assertThatThrownBy(() -> plan.rulesOfGroup(10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> plan.rulesOfGroup(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
