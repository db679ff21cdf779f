package dev.iasql.server.serve;

import dev.iasql.server.cli.ExitCode;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT into an orderly stop that exits 0. Why not only a shutdown hook: the JVM's own handler exits
 * with 128 + the signal number (143 for SIGTERM) whatever the hooks do, so a supervisor would count every clean stop as
 * a failure; and hooks run concurrently, so they cannot stop the engine before PostgreSQL. Installed before start-up,
 * so a signal during start-up stops the server as soon as it is up. A second signal exits at once (through the shutdown
 * hooks, which still stop PostgreSQL).
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported, exported and supported for exactly this use) is reached by
 * reflection only so that the build stays free of javac's "internal proprietary API" warnings.
 */
final class StopSignal {
  private static final Logger LOG = LoggerFactory.getLogger(StopSignal.class);
  private static final List<String> SIGNALS = List.of("TERM", "INT");

  private final CountDownLatch stop = new CountDownLatch(1);
  private final AtomicInteger received = new AtomicInteger();
  private volatile String reason = "";

  private StopSignal() {}

  /** Handles SIGTERM and SIGINT from now on; a signal the JVM does not let us handle keeps its default behaviour. */
  static StopSignal install() {
    StopSignal s = new StopSignal();
    for (String name : SIGNALS) {
      try {
        handle(name, s::received);
      } catch (ReflectiveOperationException | RuntimeException e) {
        // -Xrs, or a signal the shell set to ignored (SIGINT of a background job): the JVM's default then applies
        Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
        LOG.debug("cannot handle SIG{}: {}", name, cause.toString());
      }
    }
    return s;
  }

  private static void handle(String name, Consumer<String> action) throws ReflectiveOperationException {
    Class<?> signalClass = Class.forName("sun.misc.Signal");
    Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
    Object signal = signalClass.getConstructor(String.class).newInstance(name);
    InvocationHandler invocation = (proxy, method, args) -> switch (method.getName()) {
      case "handle" -> {
        action.accept("SIG" + name);
        yield null;
      }
      case "equals" -> proxy == args[0];
      case "hashCode" -> System.identityHashCode(proxy);
      default -> "StopSignal[SIG" + name + "]";
    };
    Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass}, invocation);
    signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
  }

  private void received(String signal) {
    if (received.incrementAndGet() == 1) {
      LOG.info("{} received: stopping", signal);
      reason = signal;
      stop.countDown();
    } else {
      LOG.warn("{} while stopping: exiting now", signal);
      System.exit(ExitCode.FAILED);
    }
  }

  /** Whether a signal has arrived (during start-up, say). */
  boolean requested() {
    return stop.getCount() == 0;
  }

  /** Waits for the first signal and returns its name. */
  String await() throws InterruptedException {
    stop.await();
    return reason;
  }
}
