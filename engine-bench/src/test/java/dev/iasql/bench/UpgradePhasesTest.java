package dev.iasql.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UpgradePhasesTest {
  private static final long MS = 1_000_000L;
  private static final String DB = "bench_upgrade_0a1b2c3d";

  @Test
  void eachPhaseRunsUpToTheLineThatEndsItAndTheLastToTheClientsEnd() {
    List<UpgradePhases.Line> lines = List.of(
        new UpgradePhases.Line(112 * MS, "upgraded aws_account from 0.0.18 to 0.0.20"),
        new UpgradePhases.Line(110 * MS, "upgrading " + DB + " from 0.0.18 to 0.0.20"),
        new UpgradePhases.Line(150 * MS, "database " + DB + " is at release 0.0.20 (5 modules moved)"));

    List<UpgradePhases.Phase> phases = UpgradePhases.split(100 * MS, lines, 155 * MS, DB);

    assertThat(phases).containsExactly(
        new UpgradePhases.Phase("upgrading <db> from 0.0.18 to 0.0.20", 10 * MS),
        new UpgradePhases.Phase("upgraded aws_account from 0.0.18 to 0.0.20", 2 * MS),
        new UpgradePhases.Phase("database <db> is at release 0.0.20 (5 modules moved)", 38 * MS),
        new UpgradePhases.Phase(UpgradePhases.RETURN, 5 * MS));
    assertThat(phases.stream().mapToLong(UpgradePhases.Phase::nanos).sum()).isEqualTo(55 * MS);
  }

  @Test
  void linesOutsideTheCallAreLeftOut() {
    List<UpgradePhases.Line> lines = List.of(new UpgradePhases.Line(90 * MS, "an earlier upgrade"),
        new UpgradePhases.Line(120 * MS, "upgrading"), new UpgradePhases.Line(200 * MS, "a later one"));

    assertThat(UpgradePhases.split(100 * MS, lines, 130 * MS, DB)).extracting(UpgradePhases.Phase::name)
        .containsExactly("upgrading", UpgradePhases.RETURN);
    assertThat(UpgradePhases.split(100 * MS, List.of(), 130 * MS, DB))
        .containsExactly(new UpgradePhases.Phase(UpgradePhases.RETURN, 30 * MS));
    assertThatThrownBy(() -> UpgradePhases.split(100 * MS, List.of(), 99 * MS, DB))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namesLeaveOutTheDatabaseAndTheDurationsTheEngineStates() {
    assertThat(UpgradePhases.name("read 1 tables in 1 region(s) in 15 ms", DB))
        .isEqualTo("read 1 tables in 1 region(s) in _ ms");
    assertThat(UpgradePhases.name("upgrading " + DB + " from 0.0.18 to 0.0.20 in 2.5ms", DB))
        .isEqualTo("upgrading <db> from 0.0.18 to 0.0.20 in _ ms");
    assertThat(UpgradePhases.name("no duration in 0.0.20 or msg", DB)).isEqualTo("no duration in 0.0.20 or msg");
  }

  @Test
  void summariesTakeTheP50AndTheMaxPerNameInTheOrderFirstSeen() {
    List<List<UpgradePhases.Phase>> runs = List.of(
        List.of(phase("a", 10), phase("b", 5), phase("b", 1), phase(UpgradePhases.RETURN, 2)),
        List.of(phase("a", 30), phase("b", 4), phase(UpgradePhases.RETURN, 3)),
        List.of(phase("a", 20), phase("c", 7), phase(UpgradePhases.RETURN, 1)));

    assertThat(UpgradePhases.summarise(runs)).containsExactly(
        new UpgradePhases.Row("a", 3, 20.0, 30.0),
        new UpgradePhases.Row("b", 2, 4.0, 6.0),
        new UpgradePhases.Row(UpgradePhases.RETURN, 3, 2.0, 3.0),
        new UpgradePhases.Row("c", 1, 7.0, 7.0));
  }

  private static UpgradePhases.Phase phase(String name, long ms) {
    return new UpgradePhases.Phase(name, ms * MS);
  }
}
