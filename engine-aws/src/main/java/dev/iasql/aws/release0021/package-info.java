/**
 * Release 0.0.21's modules that it keeps as 0.0.20 had them (see {@link dev.iasql.engine.release.CarriedForward});
 * its new modules live in their own packages ({@code aws_cloudwatch}).
 */
package dev.iasql.aws.release0021;
