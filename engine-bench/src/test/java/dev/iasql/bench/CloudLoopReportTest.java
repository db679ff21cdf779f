package dev.iasql.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudLoopReportTest {
  private static final CloudLoopReport.Environment ENV =
      new CloudLoopReport.Environment("17.5", 4, "17", "http://127.0.0.1:1", List.of("us-east-1"));

  @Test
  void applyGoalsPassWithinBothLimits() {
    List<Timed> runs = List.of(apply(300, 52), apply(450, 52), apply(700, 52));

    String text = new CloudLoopReport(ENV).apply("Scenario 1", runs, List.of()).text();

    assertThat(text)
        .contains("goal AWS requests per apply <= 105: max 52 -> PASS")
        .contains("goal client time <= 500 ms (p50): p50 450.0 ms, 2 of 3 runs within -> PASS")
        .contains("client time: p50 450.0 ms, min 300.0 ms, max 700.0 ms")
        .contains("{CreateSecurityGroup=150, DescribeSecurityGroups=6}");
  }

  @Test
  void applyGoalsMissAboveTheLimits() {
    String text = new CloudLoopReport(ENV).apply("Scenario 1", List.of(apply(600, 106)), List.of()).text();

    assertThat(text).contains("max 106 -> MISS").contains("p50 600.0 ms, 0 of 1 runs within -> MISS");
  }

  @Test
  void aSyncThatReadsAPageTwiceOrWritesMissesTheRequestGoal() {
    AwsRequests ok = new AwsRequests();
    ok.sent(new AwsRequest("Ec2", "DescribeSecurityGroups", "us-east-1", null));
    ok.sent(new AwsRequest("Ec2", "DescribeSecurityGroups", "us-east-1", "t2"));
    ok.sent(new AwsRequest("Ec2", "DescribeVpcs", "us-east-1", null));
    AwsRequests twice = new AwsRequests();
    twice.sent(new AwsRequest("Ec2", "DescribeVpcs", "us-east-1", null));
    twice.sent(new AwsRequest("Ec2", "DescribeVpcs", "us-east-1", null));
    twice.sent(new AwsRequest("Ec2", "CreateTags", "us-east-1", null));

    String good = new CloudLoopReport(ENV)
        .sync("Scenario 2", List.of(new Timed(40_000_000L, 0, ok.snapshot())), 1).text();
    String bad = new CloudLoopReport(ENV)
        .sync("Scenario 2", List.of(new Timed(140_000_000L, 0, twice.snapshot())), 1).text();

    assertThat(good).contains("requests per run [3]").contains("of which next pages: 1")
        .containsPattern("goal one request per \\(type, enabled region, page\\): .* -> PASS")
        .contains("p50 40.0 ms, 1 of 1 runs within -> PASS");
    assertThat(bad).contains("run 1 repeated {Ec2.DescribeVpcs in us-east-1=2}").contains("run 1 wrote [CreateTags]")
        .containsPattern("goal one request per .* -> MISS").contains("-> MISS");
  }

  @Test
  void failuresAreListed() {
    assertThat(new CloudLoopReport(ENV).failures(List.of()).text()).contains("all passed");
    assertThat(new CloudLoopReport(ENV).failures(List.of("sync 3 returned {delete security_group=1}")).text())
        .contains("Correctness checks FAILED (1):").contains("  - sync 3 returned {delete security_group=1}");
  }

  @Test
  void applyRowsAreCountedByActionAndTable() {
    List<Map<String, Object>> rows = List.of(Map.of("action", "create", "table_name", "security_group"),
        Map.of("action", "create", "table_name", "security_group"),
        Map.of("action", "delete", "table_name", "security_group_rule"));

    assertThat(CloudLoop.count(rows, "create", "security_group")).isEqualTo(2);
    assertThat(CloudLoop.summary(rows)).containsExactly(Map.entry("create security_group", 2L),
        Map.entry("delete security_group_rule", 1L));
  }

  private static Timed apply(long ms, int creates) {
    AwsRequests log = new AwsRequests();
    List<AwsRequest> sent = new ArrayList<>();
    for (int i = 0; i < creates - 2; i++) {
      sent.add(new AwsRequest("Ec2", "CreateSecurityGroup", "us-east-1", null));
    }
    sent.add(new AwsRequest("Ec2", "DescribeSecurityGroups", "us-east-1", null));
    sent.add(new AwsRequest("Ec2", "DescribeSecurityGroups", "us-east-1", null));
    sent.forEach(log::sent);
    return new Timed(ms * 1_000_000L, creates - 2, log.snapshot());
  }
}
