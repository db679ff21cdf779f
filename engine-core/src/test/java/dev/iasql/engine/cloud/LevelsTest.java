package dev.iasql.engine.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.Mapper;
import java.sql.Connection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Dependency levels: what {@link Reconciler} creates upwards and deletes downwards. Only names matter here. */
class LevelsTest {
  @Test
  void aTableIsOneLevelAboveTheHighestTableItRefersTo() {
    // vpc <- subnet <- instance, and instance -> group -> vpc: the longer path decides.
    List<Mapper<?>> mappers = List.of(table("instance", "subnet", "group"), table("group", "vpc"),
        table("subnet", "vpc"), table("vpc"), table("tag_of_instance", "instance"));

    assertThat(Levels.of(mappers)).isEqualTo(Map.of("vpc", 0, "subnet", 1, "group", 1, "instance", 2,
        "tag_of_instance", 3));
  }

  @Test
  void orderedPutsLowerLevelsFirstAndKeepsTheGivenOrderWithinALevel() {
    Mapper<?> rule = table("rule", "group");
    Mapper<?> group = table("group");
    Mapper<?> zone = table("zone");
    Mapper<?> vpc = table("vpc");

    assertThat(Levels.ordered(List.of(rule, group, zone, vpc))).containsExactly(group, zone, vpc, rule);
    assertThat(Levels.ordered(List.of(rule, vpc, zone, group))).containsExactly(vpc, zone, group, rule);
  }

  @Test
  void tablesOfOtherModulesAndReferencesToItselfDoNotRaiseALevel() {
    // A group's rules may refer to another group of the same table; aws_regions may not be reconciled here.
    assertThat(Levels.of(List.of(table("group", "group", "aws_regions"), table("rule", "group"))))
        .isEqualTo(Map.of("group", 0, "rule", 1));
  }

  @Test
  void aCycleIsRefusedWithItsPathAlone() {
    // a refers to x (no cycle) before b: x is off the path again by the time the cycle closes.
    assertThatIllegalStateException().isThrownBy(() -> Levels.of(List.of(table("a", "x", "b"), table("x"),
        table("b", "c"), table("c", "a")))).withMessage("tables refer to each other in a cycle: [a, b, c] -> a");
  }

  /** A mapper that only has a name and references: the planner orders tables by nothing else. */
  private static Mapper<Object> table(String name, String... dependsOn) {
    return new Mapper<>() {
      @Override
      public String table() {
        return name;
      }

      @Override
      public Set<String> dependsOn() {
        return new LinkedHashSet<>(List.of(dependsOn)); // in the given order: a cycle's path is then known
      }

      @Override
      public @Nullable String cloudKey(Object e) {
        return null;
      }

      @Override
      public @Nullable String region(Object e) {
        return null;
      }

      @Override
      public String describe(Object e) {
        return name;
      }

      @Override
      public Difference compare(Object db, Object cloud) {
        return Difference.NONE;
      }

      @Override
      public List<Object> readDb(Connection c) {
        return List.of();
      }

      @Override
      public @Nullable Integer insertDb(Connection c, Object cloud) {
        return null;
      }

      @Override
      public void updateDb(Connection c, Object db, Object cloud) {}

      @Override
      public void deleteDb(Connection c, Object db) {}

      @Override
      public List<Object> readCloud(CloudContext ctx, @Nullable String region) {
        return List.of();
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }
}
