package dev.iasql.engine;

import dev.iasql.engine.OperationListener.Operation;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.Code;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.operation.OperationType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a host sees of the operations an engine runs: the {@link OperationListener} and the meters {@code
 * iasql.calls} (a timer by function and outcome) and {@code iasql.errors} (by function and SQLSTATE).
 */
final class Observer {
  static final String CALLS = "iasql.calls";
  static final String ERRORS = "iasql.errors";
  private static final Logger LOG = LoggerFactory.getLogger(Observer.class);

  private final MeterRegistry meters;
  private final OperationListener listener;

  Observer(MeterRegistry meters, OperationListener listener) {
    this.meters = meters;
    this.listener = listener;
  }

  Running start(OptionalLong id, String database, OperationType type) {
    Running r = new Running(new Operation(id, database, type.name()), type.verb());
    quietly(() -> listener.started(r.operation));
    return r;
  }

  /** A listener must not break the operation it hears. */
  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("an operation listener failed", e);
    }
  }

  /** One operation from its start; ends with {@link #finished} or {@link #failed}, once. */
  final class Running {
    private final Operation operation;
    private final String function;
    private final long startNanos = System.nanoTime();

    private Running(Operation operation, String function) {
      this.operation = operation;
      this.function = function;
    }

    /** The call's progress, also told to the listener. */
    Call observe(Call call) {
      Call.Progress progress = call.progress();
      return new Call(call.cancellation(), message -> {
        progress.report(message);
        quietly(() -> listener.progress(operation, message));
      }, call.connection());
    }

    void finished() {
      Duration took = record("success");
      quietly(() -> listener.finished(operation, took));
    }

    void failed(EngineException e) {
      Code code = e.code();
      Duration took = record(code == ErrorCode.CANCELLED ? "cancelled" : "error");
      Counter.builder(ERRORS).description("failed engine calls, by SQLSTATE").tag("function", function)
          .tag("sqlstate", code.sqlState()).register(meters).increment();
      quietly(() -> listener.failed(operation, code, e.getMessage(), took));
    }

    private Duration record(String outcome) {
      Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
      Timer.builder(CALLS).description("engine calls on user databases").tag("function", function)
          .tag("outcome", outcome).register(meters).record(took);
      return took;
    }
  }
}
