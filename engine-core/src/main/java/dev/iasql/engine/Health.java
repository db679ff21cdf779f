package dev.iasql.engine;

import java.util.Set;

/**
 * What {@link Engine#health()} reports: never an exception, so a host's probe may call it on a stopped engine too.
 *
 * @param status UP when the engine runs, reaches its metadata database and serves every attached database
 * @param metadataReachable whether a query on the metadata database just succeeded
 * @param attachedDatabases how many user databases the engine serves
 * @param notListening attached databases whose SQL calls nobody answers now (the bridge's listener is reconnecting)
 * @param waitingRequests SQL calls received and waiting for a worker
 * @param reason why DOWN; empty when UP
 */
public record Health(Status status, boolean metadataReachable, int attachedDatabases, Set<String> notListening,
    int waitingRequests, String reason) {
  public Health {
    notListening = Set.copyOf(notListening);
  }

  public enum Status {
    UP,
    DOWN
  }
}
