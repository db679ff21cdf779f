/**
 * The AWS modules. {@code dev.iasql.aws} is what a module author builds on (the context, regional mappers, row tags,
 * error messages); the modules themselves are found through the service loader and are not API.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // pgjdbc and the AWS SDK name their modules in their manifests
module dev.iasql.aws {
  requires transitive dev.iasql.engine;
  requires com.google.common;
  requires micrometer.core;
  requires org.slf4j;
  requires transitive software.amazon.awssdk.core;
  requires transitive software.amazon.awssdk.awscore;
  requires transitive software.amazon.awssdk.regions;
  requires software.amazon.awssdk.auth;
  requires software.amazon.awssdk.http;
  requires software.amazon.awssdk.http.apache;
  requires transitive software.amazon.awssdk.services.ec2; // RowTag's tags
  requires software.amazon.awssdk.retries.api;
  requires software.amazon.awssdk.services.cloudwatchlogs;
  requires software.amazon.awssdk.services.secretsmanager;
  requires software.amazon.awssdk.services.sqs;
  requires software.amazon.awssdk.services.sts;

  exports dev.iasql.aws;
  // The engine reads the rows of module functions' result records (ResultColumns).
  opens dev.iasql.aws.cloudwatch to dev.iasql.engine;

  provides dev.iasql.engine.spi.EngineExtension with dev.iasql.aws.AwsEngineExtension;
  provides dev.iasql.engine.spi.Module with
      dev.iasql.aws.account.AwsAccountModule,
      dev.iasql.aws.vpc.AwsVpcModule,
      dev.iasql.aws.securitygroup.AwsSecurityGroupModule,
      dev.iasql.aws.cloudwatch.AwsCloudwatchModule,
      dev.iasql.aws.sqs.AwsSqsModule,
      dev.iasql.aws.secretsmanager.AwsSecretsManagerModule,
      dev.iasql.aws.singleregion.SingleRegionAccountModule,
      dev.iasql.aws.singleregion.SingleRegionVpcModule,
      dev.iasql.aws.singleregion.SingleRegionSecurityGroupModule,
      dev.iasql.aws.release0020.AwsAccountAt0020,
      dev.iasql.aws.release0020.AwsVpcAt0020,
      dev.iasql.aws.release0020.AwsSecurityGroupAt0020,
      dev.iasql.aws.release0021.AwsAccountAt0021,
      dev.iasql.aws.release0021.AwsVpcAt0021,
      dev.iasql.aws.release0021.AwsSecurityGroupAt0021,
      dev.iasql.aws.release0021.AwsCloudwatchAt0021,
      dev.iasql.aws.release0021.AwsSqsAt0021,
      dev.iasql.aws.release0021.AwsSecretsManagerAt0021;
}
