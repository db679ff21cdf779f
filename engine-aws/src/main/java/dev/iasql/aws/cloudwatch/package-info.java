/** The {@code aws_cloudwatch} module: CloudWatch Logs' log groups, declared on the module kit. */
package dev.iasql.aws.cloudwatch;
