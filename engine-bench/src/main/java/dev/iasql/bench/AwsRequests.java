package dev.iasql.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every AWS request this JVM sent since the last {@link #reset()}, as {@link CountingInterceptor} saw them: one entry
 * per HTTP attempt, retries included. Thread-safe: the engine calls AWS from several threads at once.
 */
final class AwsRequests {
  /** The log {@link CountingInterceptor} writes to: the SDK makes the interceptors, so they cannot be handed one. */
  static final AwsRequests GLOBAL = new AwsRequests();

  private final ConcurrentLinkedQueue<AwsRequest> sent = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
  private final AtomicLong ever = new AtomicLong();

  /** An attempt is about to go out. */
  void sent(AwsRequest request) {
    sent.add(request);
    ever.incrementAndGet();
  }

  /** An attempt of {@code operation} came back with an HTTP error status. */
  void failed(String operation, int status) {
    failed.add(operation + " " + status);
  }

  /** Forgets what was counted so far (but not {@link #ever()}). */
  void reset() {
    sent.clear();
    failed.clear();
  }

  /** How many attempts were ever counted, resets or not: zero means the SDK never loaded the interceptor. */
  long ever() {
    return ever.get();
  }

  /** What was counted since the last reset. */
  Snapshot snapshot() {
    Map<String, Long> errors = new TreeMap<>();
    for (String f : failed) {
      errors.merge(f, 1L, Long::sum);
    }
    return new Snapshot(List.copyOf(sent), errors);
  }

  /**
   * The attempts of one measured call.
   *
   * @param requests every attempt, in the order they were counted
   * @param errors attempts answered with an HTTP error, by {@code "operation status"}
   */
  record Snapshot(List<AwsRequest> requests, Map<String, Long> errors) {
    Snapshot {
      requests = List.copyOf(requests);
      errors = Collections.unmodifiableMap(new TreeMap<>(errors));
    }

    int total() {
      return requests.size();
    }

    /** Attempts by operation name, sorted by name. */
    Map<String, Long> byOperation() {
      Map<String, Long> out = new TreeMap<>();
      for (AwsRequest r : requests) {
        out.merge(r.operation(), 1L, Long::sum);
      }
      return Collections.unmodifiableMap(out);
    }

    /** Attempts by operation and region ({@code "-"} when none), as {@code "operation region"}, sorted. */
    Map<String, Long> byOperationAndRegion() {
      Map<String, Long> out = new TreeMap<>();
      for (AwsRequest r : requests) {
        out.merge(r.operation() + " " + (r.region() == null ? "-" : r.region()), 1L, Long::sum);
      }
      return Collections.unmodifiableMap(out);
    }

    /** How many attempts asked for a page after the first. */
    long continuations() {
      return requests.stream().filter(AwsRequest::continuation).count();
    }

    /**
     * Requests made more than once: the same operation, region and page (its pagination token). A read of one type
     * in one region should go out once per page; a repeat is a duplicated read or a retry.
     *
     * @return each repeated request with how many times it went out, in the order first seen
     */
    Map<AwsRequest, Long> repeated() {
      Map<AwsRequest, Long> counts = new LinkedHashMap<>();
      for (AwsRequest r : requests) {
        counts.merge(r, 1L, Long::sum);
      }
      counts.values().removeIf(n -> n < 2);
      return Collections.unmodifiableMap(counts);
    }

    /** Operations that are not reads: neither {@code Describe*}, {@code List*} nor {@code Get*}. */
    List<String> writes() {
      List<String> out = new ArrayList<>();
      byOperation().keySet().forEach(op -> {
        if (!op.startsWith("Describe") && !op.startsWith("List") && !op.startsWith("Get")) {
          out.add(op);
        }
      });
      return out;
    }
  }
}
