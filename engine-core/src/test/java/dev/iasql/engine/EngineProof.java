package dev.iasql.engine;

import java.lang.reflect.Constructor;

/**
 * The proof only the engine holds ({@link Engine.Internal}), for the guard's and the upgrade's own unit tests, which
 * build a guard and an upgrader without an engine around them. Made by reflection, as no code may make one otherwise:
 * the proof keeps host code out, and {@code GuardArchitectureTest} still proves that no main class but the engine
 * builds either.
 */
public final class EngineProof {
  private EngineProof() {}

  public static Engine.Internal internal() {
    try {
      Constructor<Engine.Internal> c = Engine.Internal.class.getDeclaredConstructor();
      c.setAccessible(true);
      return c.newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
