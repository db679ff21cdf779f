package dev.iasql.functions;

import dev.iasql.engine.Cancellation;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** The calls this engine is running, so that a cancel request or a shutdown can stop them. */
final class InFlight {
  private record Key(String database, long id) {}

  private final Map<Key, Cancellation> running = new ConcurrentHashMap<>();
  private volatile boolean stopping;

  void add(String database, long id, Cancellation cancellation) {
    running.put(new Key(database, id), cancellation);
  }

  void remove(String database, long id) {
    running.remove(new Key(database, id));
  }

  /** A caller asked to stop this call (Ctrl-C, statement_timeout). Calls of other engines are not ours to stop. */
  void cancel(String database, long id) {
    Cancellation c = running.get(new Key(database, id));
    if (c != null) {
      c.cancel();
    }
  }

  /** Cancels every call of one database, or of all when {@code database} is null. */
  void cancelAll(@Nullable String database) {
    running.forEach((k, c) -> {
      if (database == null || database.equals(k.database())) {
        c.cancel();
      }
    });
  }

  void stopping() {
    stopping = true;
  }

  boolean isStopping() {
    return stopping;
  }
}
