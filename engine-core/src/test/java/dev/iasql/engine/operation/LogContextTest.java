package dev.iasql.engine.operation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {
  @AfterEach
  void clear() {
    MDC.clear();
  }

  /** A call's work that names the same key (an install inside a call) leaves the call's own value when it ends. */
  @Test
  void aNestedContextPutsBackTheOuterValue() {
    try (LogContext call = LogContext.put("db", "tenant_a")) {
      try (LogContext install = LogContext.put("db", "tenant_a_install")) {
        assertThat(MDC.get("db")).isEqualTo("tenant_a_install");
      }
      assertThat(MDC.get("db")).as("the call's db after its install's ended").isEqualTo("tenant_a");
    }
    assertThat(MDC.get("db")).as("nothing left behind").isNull();
  }

  @Test
  void aKeyThatWasNotSetIsRemovedAgain() {
    MDC.put("verb", "apply");
    try (LogContext module = LogContext.put("module", "aws_vpc")) {
      assertThat(MDC.get("module")).isEqualTo("aws_vpc");
    }
    assertThat(MDC.get("module")).isNull();
    assertThat(MDC.get("verb")).as("other keys untouched").isEqualTo("apply");
  }
}
