/**
 * The {@code aws_security_group} module: security groups and their rules as tables. Rules are identified by what they
 * allow, not by their AWS id, so a rule written by hand finds the one AWS has.
 */
package dev.iasql.aws.securitygroup;
