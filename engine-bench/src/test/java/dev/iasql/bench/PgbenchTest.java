package dev.iasql.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PgbenchTest {
  @Test
  void latencyIsTheThirdFieldOfATransactionLogLineInMicroseconds() {
    assertThat(Pgbench.latencyNanos("0 199 1234 0 1765000000 123456")).isEqualTo(1_234_000L);
    assertThatThrownBy(() -> Pgbench.latencyNanos("garbage")).hasMessageContaining("not a pgbench transaction log");
  }

  @Test
  void throughputIsPgbenchsTpsWithoutConnectionTime() {
    String output = """
        latency average = 0.400 ms
        initial connection time = 3.210 ms
        tps = 2499.123456 (without initial connection time)
        """;
    assertThat(Pgbench.callsPerSecond(output)).isEqualTo(2499.123456);
    assertThatThrownBy(() -> Pgbench.callsPerSecond("no figures")).hasMessageContaining("no tps line");
  }

  @Test
  void theTableGivesTheBridgeCallsRatioToSelectOneAndTheGoals() {
    Summary one = new Summary(100, 0.05, 0.06, 0.1, 0.2, 0.05, 10_000);
    Summary call1 = new Summary(100, 0.5, 0.6, 0.9, 1.2, 0.5, 1_800);
    Summary call4 = new Summary(100, 2.0, 2.5, 3.0, 4.0, 2.0, 900);
    String table = PgbenchRoundTrip.table(List.of(new PgbenchRoundTrip.Row(PgbenchRoundTrip.BASELINE, 1, one),
        new PgbenchRoundTrip.Row(PgbenchRoundTrip.NO_OP, 1, call1),
        new PgbenchRoundTrip.Row(PgbenchRoundTrip.NO_OP, 4, call4)));
    assertThat(table).contains("ratio, 1 client(s): p50 10.0x SELECT 1's, calls/s 0.180 of SELECT 1's")
        .contains("goal p50 <= 1 ms with 1 client: 0.500 ms, met")
        .contains("goal >= 1000 calls/s with 4 clients: 900, NOT met")
        .doesNotContain("ratio, 4 client(s)"); // no SELECT 1 with 4 clients to compare with
  }
}
