package dev.iasql.aws;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.error.Category;
import dev.iasql.engine.error.Code;
import dev.iasql.engine.error.ErrorBlock;
import dev.iasql.engine.spi.CloudCodes;
import java.util.List;

/**
 * The AWS modules' own SQLSTATEs, block IQ500–IQ599 ({@link #BLOCK}, which every {@link AwsModule} declares). The
 * codes kept their numbers when they moved here from the engine's {@code ErrorCode}: clients match on them. A retired
 * code stays as a comment and is never reused.
 */
public enum AwsErrorCode implements Code {
  CLOUD_CREDENTIALS("IQ501", Category.USER),
  CLOUD_REQUEST_FAILED("IQ502", Category.USER),
  NO_PROGRESS("IQ503", Category.USER),
  NO_CLOUD_ACCOUNT("IQ504", Category.USER),
  UNKNOWN_REGION("IQ505", Category.USER),
  CLOUD_UNREACHABLE("IQ506", Category.AVAILABILITY),
  /** Every round of an apply found new differences: something else keeps changing the account meanwhile. */
  CLOUD_KEPT_CHANGING("IQ507", Category.AVAILABILITY);

  /** The range the AWS modules own, and their codes. */
  public static final ErrorBlock BLOCK = new ErrorBlock("aws", "IQ500", "IQ599", List.of(values()));

  /** What the engine's apply and sync report for AWS, from this block. */
  public static final CloudCodes CLOUD = new CloudCodes(CLOUD_CREDENTIALS, CLOUD_REQUEST_FAILED, NO_PROGRESS,
      NO_CLOUD_ACCOUNT, CLOUD_UNREACHABLE, CLOUD_KEPT_CHANGING);

  private final String sqlState;
  private final Category category;

  AwsErrorCode(String sqlState, Category category) {
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
