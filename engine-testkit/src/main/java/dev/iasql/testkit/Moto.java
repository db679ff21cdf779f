package dev.iasql.testkit;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * One moto server per test JVM, on a free loopback port, standing in for AWS. It checks credentials: the first calls
 * (made here) create an administrator with access keys in two accounts, and from then on a request signed with any
 * other key fails with {@code AuthFailure}, as AWS would. The AWS SDK finds it through the standard
 * {@code aws.endpointUrl} system property, which {@link #start()} sets.
 *
 * <p>A machine without moto fails the suite with a message saying how to get it; it never skips.
 */
public final class Moto {
  /** The default account of moto. */
  public static final String ACCOUNT_ID = "123456789012";
  /** A second account, reached by assuming a role in it. */
  public static final String SECOND_ACCOUNT_ID = "111111111111";

  private static final Logger LOG = LoggerFactory.getLogger(Moto.class);
  /** Requests moto answers before it starts checking credentials: exactly the ones {@link #provision} makes. */
  private static final int SETUP_CALLS = 7;
  private static final String ALLOW_ALL =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
  private static @Nullable Moto instance;

  private final Process process;
  private final String endpoint;
  private final Keys account;
  private final Keys secondAccount;

  private Moto(Process process, String endpoint, Keys account, Keys secondAccount) {
    this.process = process;
    this.endpoint = endpoint;
    this.account = account;
    this.secondAccount = secondAccount;
  }

  /** Access keys of an administrator in one account. */
  public record Keys(String accountId, String accessKeyId, String secretAccessKey) {
    @Override
    public String toString() {
      return "Keys[" + accountId + ", " + accessKeyId + "]";
    }
  }

  /** The JVM's moto server, started on first use and stopped when the JVM exits. */
  public static synchronized Moto start() {
    if (instance == null) {
      instance = launch();
      System.setProperty("aws.endpointUrl", instance.endpoint);
      Runtime.getRuntime().addShutdownHook(new Thread(instance.process::destroy, "iasql-test-moto-stop"));
    }
    return instance;
  }

  public String endpoint() {
    return endpoint;
  }

  /** An administrator of account {@value #ACCOUNT_ID}. */
  public Keys account() {
    return account;
  }

  /** An administrator of account {@value #SECOND_ACCOUNT_ID}, whose resources the first account never sees. */
  public Keys secondAccount() {
    return secondAccount;
  }

  /** Keys moto refuses: a well-formed access key id that no account has. */
  public static Keys invalidKeys() {
    return new Keys(ACCOUNT_ID, "AKIAIOSFODNN7INVALID", "not-a-secret-that-works");
  }

  private static Moto launch() {
    List<String> command = motoCommand();
    int port = freePort();
    ProcessBuilder pb = new ProcessBuilder(command.get(0));
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of("-H", "127.0.0.1", "-p", Integer.toString(port)));
    pb.command(args);
    pb.environment().put("INITIAL_NO_AUTH_ACTION_COUNT", Integer.toString(SETUP_CALLS));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    long start = System.nanoTime();
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start moto (" + String.join(" ", command) + "): " + e.getMessage()
          + "; install it with: pip install 'moto[server]'", e);
    }
    String endpoint = "http://127.0.0.1:" + port;
    awaitReady(p, endpoint);
    Keys[] keys = provision(endpoint);
    LOG.info("moto on {} in {} ms", endpoint, (System.nanoTime() - start) / 1_000_000);
    return new Moto(p, endpoint, keys[0], keys[1]);
  }

  private static List<String> motoCommand() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":", -1)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "moto_server"))) {
        return List.of(Path.of(dir, "moto_server").toString());
      }
    }
    for (String python : List.of("python3", "python")) {
      try {
        Process probe = new ProcessBuilder(python, "-c", "import moto.server").redirectErrorStream(true).start();
        if (probe.waitFor() == 0) {
          return List.of(python, "-m", "moto.server");
        }
      } catch (IOException e) {
        LOG.debug("no {}: {}", python, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("moto is not installed: the tests need moto_server on PATH (or the python module"
        + " moto.server) to stand in for AWS; install it with: pip install 'moto[server]'");
  }

  private static void awaitReady(Process p, String endpoint) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("moto exited with " + p.exitValue() + " before it was ready on " + endpoint);
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/moto-api/").toURL().openConnection();
        c.setConnectTimeout(200);
        c.setReadTimeout(1000);
        if (c.getResponseCode() < 500) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for moto", e);
      }
    }
    p.destroy();
    throw new IllegalStateException("moto did not answer on " + endpoint + " within 30 s");
  }

  /** Makes exactly {@link #SETUP_CALLS} requests: an admin in each account, the second reached by assume-role. */
  private static Keys[] provision(String endpoint) {
    AwsCredentials anyone = AwsBasicCredentials.create("test", "test");
    Keys first = admin(endpoint, anyone, ACCOUNT_ID);
    Credentials role;
    try (StsClient sts = StsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(anyone))
        .httpClientBuilder(ApacheHttpClient.builder()).build()) {
      role = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + SECOND_ACCOUNT_ID + ":role/iasql-tests")
          .roleSessionName("iasql-tests")).credentials();
    }
    Keys second = admin(endpoint,
        AwsSessionCredentials.create(role.accessKeyId(), role.secretAccessKey(), role.sessionToken()),
        SECOND_ACCOUNT_ID);
    return new Keys[] {first, second};
  }

  private static Keys admin(String endpoint, AwsCredentials as, String accountId) {
    try (IamClient iam = IamClient.builder().endpointOverride(URI.create(endpoint)).region(Region.AWS_GLOBAL)
        .credentialsProvider(StaticCredentialsProvider.create(as))
        .httpClientBuilder(ApacheHttpClient.builder()).build()) {
      iam.createUser(r -> r.userName("iasql-admin"));
      iam.putUserPolicy(r -> r.userName("iasql-admin").policyName("all").policyDocument(ALLOW_ALL));
      AccessKey k = iam.createAccessKey(r -> r.userName("iasql-admin")).accessKey();
      return new Keys(accountId, k.accessKeyId(), k.secretAccessKey());
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port for moto", e);
    }
  }
}
