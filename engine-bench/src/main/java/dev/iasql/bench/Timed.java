package dev.iasql.bench;

/**
 * One measured SQL call of the cloud loop.
 *
 * @param nanos client time: from just before the JDBC call to its last row read
 * @param rows how many rows the call returned
 * @param requests the AWS requests it caused
 */
record Timed(long nanos, int rows, AwsRequests.Snapshot requests) {
  int total() {
    return requests.total();
  }

  double ms() {
    return nanos / 1e6;
  }
}
