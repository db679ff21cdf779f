/** The {@code aws_sqs} module: SQS queues, declared on the module kit. */
package dev.iasql.aws.sqs;
