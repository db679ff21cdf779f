package dev.iasql.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpgradeReportTest {
  private static final UpgradeReport.Environment ENV =
      new UpgradeReport.Environment("17.5", 4, "17", "http://127.0.0.1:1", "eu-west-2");

  @Test
  void theGoalPassesOnAP50BelowTenSeconds() {
    String text = new UpgradeReport(ENV, "setup").runs("Upgrade", List.of(run(4.0), run(12.0), run(3.0)), run(20.0))
        .failures(List.of()).text();

    assertThat(text)
        .contains("warm-up (not kept): 20.00 s, rows 10000 -> 10038")
        .contains("client time: p50 4.00 s, min 3.00 s, max 12.00 s, mean 6.33 s over 3 runs")
        .contains("< 10 s (p50): p50 4.00 s with 10000 rows, 2 of 3 runs within -> PASS")
        .contains("rows before, by table (last run): {aws_account=1, security_group=1000, security_group_rule=8999}")
        .contains("modules before the upgrade (last run): {aws_account=0.0.18, aws_security_group=0.0.18}")
        .contains("{DescribeRegions eu-west-2=1}")
        .contains("upgraded aws_account from 0.0.18 to 0.0.20")
        .contains("Correctness checks: all passed.");
  }

  @Test
  void theGoalMissesOnAP50OfTenSecondsOrMore() {
    String text = new UpgradeReport(ENV, "setup").runs("Upgrade", List.of(run(10.0)), null).text();

    assertThat(text).contains("p50 10.00 s with 10000 rows, 0 of 1 runs within -> MISS")
        .doesNotContain("warm-up");
  }

  @Test
  void noRunsMissAndFailuresAreListed() {
    String text = new UpgradeReport(ENV, "setup").runs("Upgrade", List.of(), null)
        .failures(List.of("run 1: the upgrade changed the rows of [security_group 1000 -> 999]")).text();

    assertThat(text).contains("no measured run completed").contains("no runs -> MISS")
        .contains("Correctness checks FAILED (1):")
        .contains("  - run 1: the upgrade changed the rows of [security_group 1000 -> 999]");
  }

  private static UpgradeReport.Run run(double seconds) {
    long nanos = (long) (seconds * 1e9);
    AwsRequests requests = new AwsRequests();
    requests.sent(new AwsRequest("Ec2", "DescribeRegions", "eu-west-2", null));
    return new UpgradeReport.Run(nanos, 800_000_000L,
        Map.of("aws_account", 1L, "security_group", 1_000L, "security_group_rule", 8_999L),
        Map.of("aws_credentials", 1L, "aws_regions", 38L, "security_group", 1_000L, "security_group_rule", 8_999L),
        10_000L, Map.of("aws_account", "0.0.18", "aws_security_group", "0.0.18"),
        "database x upgraded from release 0.0.18 to 0.0.20", requests.snapshot(),
        List.of(new UpgradePhases.Phase("upgraded aws_account from 0.0.18 to 0.0.20", nanos / 2),
            new UpgradePhases.Phase(UpgradePhases.RETURN, nanos - nanos / 2)));
  }
}
