package dev.iasql.engine.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * SQL helpers. Utility statements (CREATE ROLE, GRANT, DROP TABLE …) take no bind parameters, so their text is built by
 * PostgreSQL's own {@code format()} with {@code %I}/{@code %L} from bound values: no name or value is ever concatenated
 * into SQL in Java.
 */
public final class Sql {
  private static final Settings SETTINGS =
      new Settings().withRenderSchema(true).withExecuteLogging(false).withDiagnosticsLogging(false);

  private Sql() {}

  /**
   * Runs a script of the engine's or a module's own SQL as is, through JDBC: no templating, so {@code ?} and
   * {@code $$} bodies are left alone. Errors come back as jOOQ's {@link DataAccessException} with the SQLSTATE.
   */
  public static void script(Connection connection, String sql) {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new DataAccessException(e.getMessage(), e);
    }
  }

  /**
   * Renders one statement of each kind the engine builds with jOOQ, without running it, and returns them. jOOQ's
   * first render in a JVM loads and initialises much of jOOQ (seconds on a busy machine): the engine does this while
   * it starts, so that a user's first install or sync does not pay for it.
   */
  public static List<String> warmUp() {
    DSLContext dsl = DSL.using(SQLDialect.POSTGRES, SETTINGS);
    Table<?> t = DSL.table(DSL.name("public", "iasql_warm_up")).as("t");
    Field<Integer> id = DSL.field(DSL.name("t", "id"), SQLDataType.INTEGER);
    Field<String> text = DSL.field(DSL.name("t", "name"), SQLDataType.VARCHAR);
    return List.of(
        dsl.select(id, DSL.field(DSL.select(text).from(t).where(id.eq(DSL.val(1)))).as("o"), DSL.inline((Object) null))
            .from(t).where(text.in(DSL.val("a"), DSL.val("b")).and(id.isNotNull())).orderBy(id).getSQL(),
        dsl.insertInto(t).set(text, DSL.val("a")).returning(id).getSQL(),
        dsl.update(t).set(text, DSL.val("b")).where(id.eq(DSL.val(1))).getSQL(),
        dsl.deleteFrom(t).where(id.eq(DSL.val(1))).getSQL());
  }

  public static DSLContext dsl(Connection connection) {
    return DSL.using(connection, SQLDialect.POSTGRES, SETTINGS);
  }

  /**
   * Runs a utility statement whose identifiers and literals are filled in by PostgreSQL: {@code template} is a constant
   * with {@code %I} (identifier) and {@code %L} (literal) placeholders, {@code args} are bound.
   */
  public static void execFormatted(Connection connection, String template, Object... args) {
    DSLContext dsl = dsl(connection);
    Object[] binds = new Object[args.length + 1];
    binds[0] = template;
    System.arraycopy(args, 0, binds, 1, args.length);
    StringBuilder call = new StringBuilder("SELECT format(?");
    for (int i = 0; i < args.length; i++) {
      call.append(", ?::text");
    }
    call.append(')');
    String statement = dsl.fetchValue(call.toString(), binds).toString();
    dsl.execute(statement);
  }
}
