package dev.iasql.engine.operation;

/**
 * What {@code iasql_operation.optype} says a call was. The first eight are IaSQL v0.0.20's
 * {@code iasql_operation_optype_enum}, so its SQL over the log (say {@code WHERE optype = 'APPLY'}) runs unchanged;
 * IaSQL ran {@code delete_all_records()} without the engine and had no metadata functions, so the rest are ours.
 */
public enum OperationType {
  APPLY,
  SYNC,
  INSTALL,
  UNINSTALL,
  PLAN_APPLY,
  PLAN_SYNC,
  LIST,
  UPGRADE,
  DELETE_ALL_RECORDS,
  /** Loading the region list on its own (as the upgrade's cloud step does, inside the upgrade's own row). */
  REFRESH_REGIONS,
  CONNECT,
  DISCONNECT,
  DB_LIST,
  /** A module's own SQL function ({@link dev.iasql.engine.spi.Rpc}), such as {@code log_group_tail}. */
  RPC;

  /** How logs and messages name it: the SQL function's name without {@code iasql_}. */
  public String verb() {
    return switch (this) {
      case PLAN_APPLY -> "preview_apply";
      case PLAN_SYNC -> "preview_sync";
      case LIST -> "modules_list";
      default -> name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
