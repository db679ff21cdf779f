package dev.iasql.aws;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.kit.Resources;
import dev.iasql.engine.kit.Row;
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.RpcCall;
import java.lang.reflect.ParameterizedType;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkClient;

/**
 * The cloud calls of a regional kit table on one AWS service. Each method is given the service's client of the value's
 * region ({@link Aws}), through which every request is wrapped as {@link AwsErrors} does. A table that changes in
 * place declares {@link Resources.InPlace} too and overrides {@link #update(Aws, Row, Row, Set)}.
 *
 * <pre>{@code
 * final class Vpcs extends AwsResources<Ec2Client> {
 *   @Override
 *   protected List<Row> list(Aws<Ec2Client> ec2) {
 *     return ec2.call("DescribeVpcs", c -> c.describeVpcsPaginator(b -> { }).vpcs().stream()
 *         .map(v -> ec2.row().with("vpc_id", v.vpcId())).toList());
 *   }
 *
 *   @Override
 *   protected Row create(Aws<Ec2Client> ec2, Row desired) {
 *     Vpc v = ec2.call("CreateVpc", c -> c.createVpc(b -> b.cidrBlock(desired.text("cidr_block")))).vpc();
 *     return ec2.row().with("vpc_id", v.vpcId());
 *   }
 *
 *   @Override
 *   protected void delete(Aws<Ec2Client> ec2, Row actual) {
 *     ec2.delete("DeleteVpc", Set.of("InvalidVpcID.NotFound"), c -> c.deleteVpc(b -> b.vpcId(actual.text("vpc_id"))));
 *   }
 * }
 * }</pre>
 *
 * @param <C> the service's synchronous SDK client, such as {@code Ec2Client}: a table extends
 *     {@code AwsResources<Ec2Client>} directly, and the client's type is read from there
 */
public abstract class AwsResources<C extends SdkClient> implements Resources {
  private final Class<C> client;

  /** Reads the client's type from the subclass's declaration, so that a table names its service once. */
  @SuppressWarnings("unchecked") // the type argument is C, checked to be a class
  protected AwsResources() {
    if (!(getClass().getGenericSuperclass() instanceof ParameterizedType p)
        || !(p.getActualTypeArguments()[0] instanceof Class<?> type)) {
      throw new IllegalStateException(getClass().getName() + " must extend AwsResources<an SDK client> directly");
    }
    this.client = (Class<C>) type;
  }

  /** The service's client interface: {@link AwsKitModule} declares it for the module. */
  public final Class<C> client() {
    return client;
  }

  /** Every resource of the region, every page. Never changes anything. */
  protected abstract List<Row> list(Aws<C> aws);

  /** {@link Resources#create}, in the desired row's region. */
  protected abstract Row create(Aws<C> aws, Row desired);

  /** {@link Resources#delete}, in the resource's region. */
  protected abstract void delete(Aws<C> aws, Row actual);

  /** {@link Resources.InPlace#update}, in the resource's region; called only for a table that declares it. */
  protected Row update(Aws<C> aws, Row desired, Row actual, Set<String> changed) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " changes nothing in place");
  }

  @Override
  public final List<Row> list(CloudContext ctx, @Nullable String region) {
    return list(aws(ctx, region));
  }

  @Override
  public final Row create(CloudContext ctx, Row desired) {
    return create(aws(ctx, desired.region()), desired);
  }

  @Override
  public final void delete(CloudContext ctx, Row actual) {
    delete(aws(ctx, actual.region()), actual);
  }

  /** What {@link Resources.InPlace} asks of a subclass that declares it. */
  public final Row update(CloudContext ctx, Row desired, Row actual, Set<String> changed) {
    return update(aws(ctx, actual.region()), desired, actual, changed);
  }

  private Aws<C> aws(CloudContext ctx, @Nullable String region) {
    String r = requireNonNull(region, () -> getClass().getSimpleName() + "'s table is regional: a value has a region");
    return new Aws<>(ctx, r, ctx.client(client, r));
  }

  /** One region's client of a service, through which every request is wrapped as {@link AwsErrors} does. */
  public record Aws<C>(CloudContext ctx, String region, C client) {
    public Aws {
      requireNonNull(ctx, "ctx is null");
      requireNonNull(region, "region is null");
      requireNonNull(client, "client is null");
    }

    /**
     * For a module's SQL function with an optional region argument: the client of the region it names, or of the
     * default region. A region the database does not enable is the caller's slip: its own code (IQ505) and the way
     * out, not a cloud failure.
     */
    public static <C> Aws<C> forRpc(RpcCall call, int regionArgument, Class<C> type) {
      CloudContext cloud = call.cloud();
      String region = call.argument(regionArgument).orElse(cloud.defaultRegion());
      if (!cloud.regions().contains(region)) {
        throw EngineException.withHint(AwsErrorCode.UNKNOWN_REGION, "region " + region + " is not an enabled region"
            + " of this database", "enabled are " + String.join(", ", cloud.regions()) + "; enable one with UPDATE"
            + " aws_regions SET is_enabled = true WHERE region = '…'");
      }
      return new Aws<>(cloud, region, cloud.client(type, region));
    }

    /** One request; an SDK failure becomes a {@link dev.iasql.engine.spi.CloudException} naming it. */
    public <T> T call(String operation, Function<C, T> request) {
      return AwsErrors.call(operation, region, () -> request.apply(client));
    }

    /** {@link #call} for a request whose response is not needed. */
    public void run(String operation, Consumer<C> request) {
      AwsErrors.run(operation, region, () -> request.accept(client));
    }

    /**
     * {@link #delete(String, Set, Consumer)} for a service that answers a delete of what is gone with
     * {@code ResourceNotFoundException}, as most of AWS's JSON services do (CloudWatch Logs, Secrets Manager, Lambda).
     */
    public void delete(String operation, Consumer<C> request) {
      delete(operation, Set.of("ResourceNotFoundException"), request);
    }

    /**
     * {@link #run} for a delete: AWS answering with one of {@code gone} (such as {@code InvalidVpcID.NotFound}) means
     * it is already gone, which is what was asked.
     */
    public void delete(String operation, Set<String> gone, Consumer<C> request) {
      AwsErrors.delete(operation, region, gone, () -> request.accept(client));
    }

    /** An empty value of this region, for a read to fill in. */
    public Row row() {
      return Row.in(region);
    }
  }
}
