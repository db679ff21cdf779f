package dev.iasql.engine.error;

/** Who has to act on an error: the caller, the engine's operator, or the cloud. */
public enum Category {
  /** The request was wrong; the message says what to change. */
  USER,
  /** The engine is down, busy or was stopped; retrying later may work. */
  AVAILABILITY,
  /** A bug in the engine or a module; the message says which. */
  INTERNAL
}
