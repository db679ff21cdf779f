package dev.iasql.aws.vpc;

import dev.iasql.aws.MotoEc2;
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.testkit.Moto;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * A {@link CloudContext} over the test JVM's moto server: real {@link Ec2Client}s signed with one account's keys, one
 * per region. The endpoint comes from the {@code aws.endpointUrl} property that {@link Moto#start()} sets.
 */
public final class MotoContext implements CloudContext, AutoCloseable {
  /** The database name resources are tagged with; no real database has it. */
  public static final String DATABASE = "moto_context";

  private final Moto.Keys keys;
  private final List<String> regions;
  private final Map<String, Ec2Client> clients = new ConcurrentHashMap<>();

  private MotoContext(Moto.Keys keys, List<String> regions) {
    this.keys = keys;
    this.regions = regions;
  }

  /** The first moto account, in the given regions (the first is the default). */
  public static MotoContext of(String... regions) {
    return with(Moto.start().account(), regions);
  }

  public static MotoContext with(Moto.Keys keys, String... regions) {
    Moto.start();
    return new MotoContext(keys, List.of(regions));
  }

  @Override
  public String database() {
    return DATABASE;
  }

  @Override
  public List<String> regions() {
    return regions;
  }

  @Override
  public String defaultRegion() {
    return regions.get(0);
  }

  @Override
  public <T> T client(Class<T> type, String region) {
    if (type != Ec2Client.class) {
      throw new IllegalArgumentException("MotoContext makes EC2 clients only, not " + type.getName());
    }
    return type.cast(clients.computeIfAbsent(region, r -> MotoEc2.client(keys, r)));
  }

  /** The EC2 client of a region, for checks the mappers do not make. */
  public Ec2Client ec2(String region) {
    return client(Ec2Client.class, region);
  }

  @Override
  public void close() {
    clients.values().forEach(Ec2Client::close);
  }
}
