package dev.iasql.engine.cloud;

import dev.iasql.engine.error.Category;
import dev.iasql.engine.error.Code;
import dev.iasql.engine.spi.CloudCodes;

/**
 * The memory cloud's own codes: the reconciler reports the codes the account supplies. They have the AWS modules'
 * numbers, so that these tests read as the SQL users see; TranslateTest checks they are the account's objects.
 */
enum MemoryCode implements Code {
  CREDENTIALS("IQ501"),
  REQUEST_FAILED("IQ502"),
  NO_PROGRESS("IQ503"),
  NO_ACCOUNT("IQ504"),
  UNREACHABLE("IQ506"),
  KEPT_CHANGING("IQ507");

  static final CloudCodes CLOUD = new CloudCodes(CREDENTIALS, REQUEST_FAILED, NO_PROGRESS, NO_ACCOUNT, UNREACHABLE,
      KEPT_CHANGING);

  private final String sqlState;

  MemoryCode(String sqlState) {
    this.sqlState = sqlState;
  }

  @Override
  public String sqlState() {
    return sqlState;
  }

  @Override
  public Category category() {
    return Category.USER;
  }
}
