/** The {@code aws_secrets_manager} module: secrets, whose value is write-only, declared on the module kit. */
package dev.iasql.aws.secretsmanager;
