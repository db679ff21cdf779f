package dev.iasql.aws;

import dev.iasql.testkit.Moto;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** An EC2 client straight to moto (the endpoint comes from the property Moto.start() sets), past the engine. */
public final class MotoEc2 {
  private MotoEc2() {}

  /** A new client; the caller closes it. */
  public static Ec2Client client(Moto.Keys keys, String region) {
    return Ec2Client.builder().region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey())))
        .build();
  }
}
