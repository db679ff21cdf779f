package dev.iasql.functions;

import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.Module;
import dev.iasql.engine.spi.ModuleName;
import java.util.List;

/** Small modules that exercise the installer and the bridge until the AWS modules exist. */
final class TestModules {
  /** The release new databases get, which these modules belong to. */
  static final String LATEST = ReleaseCatalog.standard().latest();

  private TestModules() {}

  private abstract static class Base implements Module {
    @Override
    public String version() {
      return LATEST;
    }
  }

  /** Two tables with a foreign key between them, and a sequence. */
  public static final class Base1 extends Base {
    @Override
    public ModuleName name() {
      return ModuleName.of("test_base");
    }

    @Override
    public List<String> migrations() {
      return List.of("""
          CREATE TABLE test_base_item (id serial PRIMARY KEY, name text NOT NULL UNIQUE);
          CREATE TABLE test_base_tag (id serial PRIMARY KEY, item_id integer REFERENCES test_base_item (id),
            tag text);
          """);
    }
  }

  /** Depends on test_base, references its table. */
  public static final class Child extends Base {
    @Override
    public ModuleName name() {
      return ModuleName.of("test_child");
    }

    @Override
    public List<ModuleName> dependencies() {
      return List.of(ModuleName.of("test_base"));
    }

    @Override
    public List<String> migrations() {
      return List.of("CREATE TABLE test_child_item (id serial PRIMARY KEY,"
          + " base_id integer REFERENCES test_base_item (id) ON DELETE CASCADE, note text)");
    }
  }

  /** Depends on test_child: a chain of three. */
  public static final class GrandChild extends Base {
    @Override
    public ModuleName name() {
      return ModuleName.of("test_grandchild");
    }

    @Override
    public List<ModuleName> dependencies() {
      return List.of(ModuleName.of("test_child"));
    }

    @Override
    public List<String> migrations() {
      return List.of("CREATE TABLE test_grandchild_item (id serial PRIMARY KEY, label text)");
    }
  }

  /** Wants a table test_base already has. */
  public static final class Collide extends Base {
    @Override
    public ModuleName name() {
      return ModuleName.of("test_collide");
    }

    @Override
    public List<String> migrations() {
      return List.of("CREATE TABLE test_base_item (id serial PRIMARY KEY)");
    }
  }

  /** Creates a table, then fails: nothing of it may remain. */
  public static final class Broken extends Base {
    @Override
    public ModuleName name() {
      return ModuleName.of("test_broken");
    }

    @Override
    public List<String> migrations() {
      return List.of("CREATE TABLE test_broken_item (id integer)", "SELECT no_such_function()");
    }
  }

  /** Takes a long time to install: for cancellation and engine-death tests. */
  public static final class Slow extends Base {
    @Override
    public ModuleName name() {
      return ModuleName.of("test_slow");
    }

    @Override
    public List<String> migrations() {
      return List.of("CREATE TABLE test_slow_item (id integer)", "SELECT pg_sleep(60)");
    }
  }

  /** Needs test_base, then takes a little over a second: its caller waits through a progress slice. */
  public static final class Slowish extends Base {
    @Override
    public ModuleName name() {
      return ModuleName.of("test_slowish");
    }

    @Override
    public List<ModuleName> dependencies() {
      return List.of(ModuleName.of("test_base"));
    }

    @Override
    public List<String> migrations() {
      return List.of("CREATE TABLE test_slowish_item (id integer)", "SELECT pg_sleep(1.2)");
    }
  }

  /** Needs test_base, then sleeps a minute: cancelled between the two, the sleep must never run to its end. */
  public static final class SlowAfterBase extends Base {
    @Override
    public ModuleName name() {
      return ModuleName.of("test_slow_after_base");
    }

    @Override
    public List<ModuleName> dependencies() {
      return List.of(ModuleName.of("test_base"));
    }

    @Override
    public List<String> migrations() {
      return List.of("SELECT pg_sleep(60)");
    }
  }
}
