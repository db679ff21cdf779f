package dev.iasql.aws.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.TestDatabase;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * An apply that never settles because something else keeps changing the account (found with 50 tenants sharing one
 * account: they deleted each other's groups round after round). The error must say so, not "0 row(s) failed in ".
 */
@ExtendWith(IasqlExtension.class)
class ChurningCloudTest {
  private static final String REGION = "us-east-1";

  @Test
  void anApplyThatCannotSettleSaysTheCloudKeptChanging(TestDatabase db) throws Exception {
    try (CloudDb c = CloudDb.connect(db, Moto.start().account(), "aws_security_group")) {
      c.apply();
      Ec2Client ec2 = c.ec2(REGION);
      String prefix = "churn-" + UUID.randomUUID() + "-";
      AtomicInteger made = new AtomicInteger();
      ec2.createSecurityGroup(r -> r.groupName(prefix + made.incrementAndGet()).description("made by another tool"));
      PSQLException e;
      try (AutoCloseable armed = ChurningCloud.arm(() -> ec2.createSecurityGroup(
          r -> r.groupName(prefix + made.incrementAndGet()).description("made by another tool")))) {
        e = catchThrowableOfType(PSQLException.class, c::apply);
      }
      assertThat((Throwable) e).as("apply kept finding new groups to delete").isNotNull();
      ServerErrorMessage m = e.getServerErrorMessage();
      assertThat(e.getSQLState()).isEqualTo("IQ507");
      assertThat(m.getMessage()).as(m.toString())
          .contains("did not settle").contains("rounds").doesNotContain("0 row(s)");
      assertThat(m.getDetail()).as("names what the last round did").contains("delete security_group " + prefix);
      assertThat(m.getHint()).contains("changing the same account");
      assertThat(c.value("SELECT err->>'code' FROM iasql_operation WHERE optype = 'APPLY' ORDER BY id DESC LIMIT 1"))
          .isEqualTo("IQ507");
      // Quiet again: the next apply settles.
      c.apply();
      assertThat(c.previewApply()).isEmpty();
    }
  }
}
