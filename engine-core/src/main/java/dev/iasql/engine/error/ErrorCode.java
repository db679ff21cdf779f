package dev.iasql.engine.error;

import static java.util.Objects.requireNonNull;

/**
 * Every error the engine reports, with its own SQLSTATE.
 *
 * <p>Codes live in the implementation-defined class {@code IQ}, in blocks: IQ0xx the function bridge, IQ1xx the upgrade
 * guard and releases, IQ2xx modules, IQ3xx databases, IQ4xx arguments, IQ9xx internal. A module's codes are in a block of
 * its own ({@link ErrorBlock}; IQ5xx are the AWS modules'). A retired code stays here as a comment and is never reused:
 * clients may match on them. The SQL side of the bridge takes its codes from this enum.
 */
public enum ErrorCode implements Code {
  ENGINE_NOT_RUNNING("IQ001", Category.AVAILABILITY),
  REQUEST_NOT_PICKED_UP("IQ002", Category.AVAILABILITY),
  ENGINE_DIED("IQ003", Category.AVAILABILITY),
  ENGINE_STOPPED("IQ004", Category.AVAILABILITY),
  CANCELLED("IQ005", Category.USER),
  UNKNOWN_FUNCTION("IQ006", Category.INTERNAL),
  CLUSTER_UNREACHABLE("IQ007", Category.AVAILABILITY),

  UPGRADE_IN_PROGRESS("IQ101", Category.AVAILABILITY),
  RELEASE_NOT_SUPPORTED("IQ102", Category.USER),
  STALE_PERMIT("IQ103", Category.USER),
  SCHEMA_MISMATCH("IQ104", Category.INTERNAL),
  /** A module's upgrade step found a row the new release cannot hold (a CIDR column's text that is no CIDR). */
  UPGRADE_BLOCKED_BY_ROW("IQ105", Category.USER),

  UNKNOWN_MODULE("IQ201", Category.USER),
  MODULE_HAS_DEPENDANTS("IQ202", Category.USER),
  TABLE_COLLISION("IQ203", Category.USER),
  PLATFORM_MODULE("IQ204", Category.USER),
  MODULE_INSTALL_FAILED("IQ205", Category.INTERNAL),
  MODULE_VERSION_NOT_AVAILABLE("IQ206", Category.USER),
  /** The engine was given a module of a release its release catalog does not know: checked at build(). */
  MODULE_RELEASE_UNKNOWN("IQ207", Category.INTERNAL),
  /** A module's mapper names a table the module's migrations do not create: checked at build(). */
  MAPPER_TABLE_NOT_CREATED("IQ208", Category.INTERNAL),
  /** The engine's modules do not fit together (two of one name, a missing dependency, a cycle): at build(). */
  MODULE_SET_INVALID("IQ209", Category.INTERNAL),

  INVALID_DATABASE_NAME("IQ301", Category.USER),
  DATABASE_EXISTS("IQ302", Category.USER),
  DATABASE_NOT_FOUND("IQ303", Category.USER),
  POSTGRES_NOT_SUPPORTED("IQ304", Category.USER),
  // IQ305 (admin not a superuser) is retired: a role with CREATEDB and CREATEROLE is served (IQ306-IQ308).
  /** The admin role is no superuser and lacks CREATEDB or CREATEROLE (the message names which). */
  ADMIN_LACKS_PRIVILEGE("IQ306", Category.USER),
  /** A non-superuser admin's cluster lacks what only its operator can set up (dblink in template1 …). */
  TEMPLATE_NOT_PREPARED("IQ307", Category.USER),
  /** A database made by an older engine as the superuser, which only a superuser admin can move to its owner role. */
  ADOPTION_NEEDS_SUPERUSER("IQ308", Category.USER),

  INVALID_ARGUMENT("IQ401", Category.USER),
  CALLER_LOCK_CONFLICT("IQ402", Category.USER),
  ARGUMENT_TOO_LARGE("IQ403", Category.USER),
  /** Another session held a lock the call needs for longer than the engine waits (its lock timeout). */
  LOCK_TIMEOUT("IQ404", Category.USER),

  // IQ5xx is the AWS modules' block: engine-aws's AwsErrorCode (IQ501-IQ507 were here before modules had blocks).

  INTERNAL_ERROR("IQ901", Category.INTERNAL);

  private final String sqlState;
  private final Category category;

  ErrorCode(String sqlState, Category category) {
    this.sqlState = requireNonNull(sqlState, "sqlState is null");
    this.category = requireNonNull(category, "category is null");
  }

  @Override
  public String sqlState() {
    return sqlState;
  }

  @Override
  public Category category() {
    return category;
  }
}
