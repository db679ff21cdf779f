package dev.iasql.aws;

import dev.iasql.testkit.Moto;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/** Any SDK client straight to moto as one of its accounts, past the engine (the endpoint comes from Moto.start()). */
public final class MotoClient {
  private MotoClient() {}

  /** A new client of {@code builder}'s kind; the caller closes it. */
  public static <C> C of(AwsClientBuilder<?, C> builder, Moto.Keys keys, String region) {
    return builder.region(Region.of(region)).credentialsProvider(StaticCredentialsProvider.create(
        AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey()))).build();
  }
}
