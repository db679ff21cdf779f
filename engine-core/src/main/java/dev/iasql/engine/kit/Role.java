package dev.iasql.engine.kit;

/** Who sets a column's value, and so what a difference in it means. */
public enum Role {
  /** Set by the user and pushed by apply (in place, or by replacing the resource when the column says so). */
  USER,
  /**
   * Set by the user, but not in what the cloud's bulk read returns (a VPC's DNS attributes, one request each): create
   * and update send it; a difference counts only where the cloud's value is known, and an unknown one keeps the row's.
   */
  USER_UNLISTED,
  /** Assigned by the cloud (an ARN, a state, a creation time): an edited value is put back by apply, no cloud call. */
  CLOUD_ASSIGNED,
  /**
   * Sent on create and update, never read back (a secret's value, a function's code): NULL in the row after apply, and
   * never in a log, NOTICE, error or preview, which shows {@code (secret)}.
   */
  WRITE_ONLY
}
