package dev.iasql.engine.spi;

import java.util.Optional;

/**
 * The extensions of the engine an operation runs in, by type: where a module finds what that engine owns (its cloud
 * clients and their settings), so that two engines in one JVM never share them.
 */
public interface Extensions {
  /** The engine's extension of exactly this class, if it has one. */
  <T extends EngineExtension> Optional<T> find(Class<T> type);
}
