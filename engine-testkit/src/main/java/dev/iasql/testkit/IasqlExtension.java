package dev.iasql.testkit;

import dev.iasql.engine.Engine;
import dev.iasql.postgres.PostgresCluster;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension over real parts: one embedded PostgreSQL and one engine per JVM, a fresh user database per test,
 * dropped after it. Test methods take any of {@link TestDatabase} (one database), {@link TestDatabases} (more),
 * {@link Engine} and {@link PostgresCluster}.
 *
 * <pre>{@code
 * @ExtendWith(IasqlExtension.class)
 * class InstallTest {
 *   @Test void installs(TestDatabase db) throws Exception {
 *     try (Connection c = db.tenant(); Statement s = c.createStatement()) {
 *       s.execute("SELECT * FROM iasql_install('aws_vpc')");
 *     }
 *   }
 * }
 * }</pre>
 */
public final class IasqlExtension implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(IasqlExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> type = p.getParameter().getType();
    return type == TestDatabase.class || type == TestDatabases.class || type == Engine.class
        || type == PostgresCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    Class<?> type = p.getParameter().getType();
    if (type == Engine.class) {
      return SharedCluster.engine();
    }
    if (type == PostgresCluster.class) {
      return SharedCluster.postgres();
    }
    TestDatabases dbs = databases(e);
    return type == TestDatabases.class ? dbs : dbs.create();
  }

  private static TestDatabases databases(ExtensionContext e) {
    return e.getStore(NS).computeIfAbsent("databases",
        k -> new TestDatabases(SharedCluster.engine(), SharedCluster.postgres(),
            e.getRequiredTestMethod().getName()), TestDatabases.class);
  }

  @Override
  public void afterEach(ExtensionContext e) {
    TestDatabases dbs = e.getStore(NS).remove("databases", TestDatabases.class);
    if (dbs != null) {
      dbs.dropAll();
    }
  }
}
