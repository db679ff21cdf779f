package dev.iasql.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy in front of moto that holds every request for a fixed delay before passing it on, as a distant AWS
 * endpoint would: moto answers in a millisecond or two, so without it the engine's overlap of requests cannot show.
 * Counts the requests, the sum of their times (what they would take one after another) and the most in flight.
 * Signatures are not re-made: moto checks none.
 */
final class DelayProxy implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "bench-delay-proxy");
    t.setDaemon(true);
    return t;
  });
  private final String upstream;
  private final Duration delay;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicLong busyNanos = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger mostInFlight = new AtomicInteger();

  /** What the proxy saw since the last {@link #reset}. */
  record Figures(int requests, long sequentialMs, int mostInFlight) {}

  DelayProxy(String upstream, Duration delay) throws IOException {
    this.upstream = upstream;
    this.delay = delay;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    server.createContext("/", this::forward);
    server.setExecutor(threads);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void reset() {
    requests.set(0);
    busyNanos.set(0);
    mostInFlight.set(0);
  }

  Figures figures() {
    return new Figures(requests.get(), busyNanos.get() / 1_000_000, mostInFlight.get());
  }

  private void forward(HttpExchange in) throws IOException {
    long start = System.nanoTime();
    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      byte[] body = in.getRequestBody().readAllBytes();
      Thread.sleep(delay.toMillis());
      HttpURLConnection out = (HttpURLConnection) URI.create(upstream + in.getRequestURI()).toURL().openConnection();
      out.setRequestMethod(in.getRequestMethod());
      for (Map.Entry<String, List<String>> h : in.getRequestHeaders().entrySet()) {
        if (!h.getKey().equalsIgnoreCase("Host") && !h.getKey().equalsIgnoreCase("Content-Length")) {
          h.getValue().forEach(v -> out.addRequestProperty(h.getKey(), v));
        }
      }
      if (body.length > 0) {
        out.setDoOutput(true);
        try (OutputStream o = out.getOutputStream()) {
          o.write(body);
        }
      }
      int status = out.getResponseCode();
      byte[] answer;
      try (InputStream i = status >= 400 ? out.getErrorStream() : out.getInputStream()) {
        answer = i == null ? new byte[0] : i.readAllBytes();
      }
      out.getHeaderFields().forEach((k, v) -> {
        if (k != null && !k.equalsIgnoreCase("Transfer-Encoding") && !k.equalsIgnoreCase("Content-Length")) {
          in.getResponseHeaders().put(k, v);
        }
      });
      in.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
      try (OutputStream o = in.getResponseBody()) {
        o.write(answer);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      in.sendResponseHeaders(503, -1);
    } finally {
      inFlight.decrementAndGet();
      requests.incrementAndGet();
      busyNanos.addAndGet(System.nanoTime() - start);
      in.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
