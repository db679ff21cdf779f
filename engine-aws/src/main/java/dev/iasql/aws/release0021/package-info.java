/**
 * Release 0.0.21's modules as shipped, each serving its frozen DDL: the first modules on the module kit
 * ({@code aws_cloudwatch}, {@code aws_sqs}, {@code aws_secrets_manager}) and 0.0.20's others, unchanged.
 */
package dev.iasql.aws.release0021;
