package dev.iasql.engine.spi;

/**
 * Thrown by {@link Mapper#create} when a row it refers to has no cloud id yet: the engine tries again in its next
 * round, once the referenced resource exists, and names the wait if it never ends.
 */
public class WaitingFor extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WaitingFor(String what) {
    super("waiting for " + what);
  }
}
