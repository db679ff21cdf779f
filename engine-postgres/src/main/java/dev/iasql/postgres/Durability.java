package dev.iasql.postgres;

/** How hard an embedded server works to keep committed data across a crash of the machine. */
public enum Durability {
  /** {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} off: for tests, whose data is throwaway. */
  FAST,
  /** {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} on: a real server. */
  DURABLE
}
