package dev.iasql.aws;

import dev.iasql.testkit.Moto;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** An EC2 client straight to moto (the endpoint comes from the property Moto.start() sets), past the engine. */
public final class MotoEc2 {
  private MotoEc2() {}

  /** A new client; the caller closes it. */
  public static Ec2Client client(Moto.Keys keys, String region) {
    return MotoClient.of(Ec2Client.builder(), keys, region);
  }
}
