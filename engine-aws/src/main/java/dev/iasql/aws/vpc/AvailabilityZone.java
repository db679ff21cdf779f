package dev.iasql.aws.vpc;

/** An {@code availability_zone} row or an AWS availability zone, such as {@code us-east-1a}. */
record AvailabilityZone(String name, String region) {}
