package dev.iasql.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A moto server of the bench's own that checks no credentials (the tests' moto checks them): any keys reach moto's
 * default account, and keys from an assume-role reach the account named in the role. Stopped when the JVM exits.
 */
final class OwnMoto {
  private OwnMoto() {}

  /**
   * Starts {@code moto_server} on a free loopback port and returns its endpoint once it answers. With
   * {@code -Dbench.motoNice=N} (N &gt; 0) it runs at that lower CPU priority: the cloud a real engine calls does not
   * share its machine, and moto's CPU would otherwise be counted against the engine.
   */
  static String start() throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    int nice = Integer.getInteger("bench.motoNice", 0);
    List<String> command = new ArrayList<>();
    if (nice > 0) {
      command.addAll(List.of("nice", "-n", Integer.toString(nice)));
    }
    command.addAll(List.of("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port)));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "bench-moto-stop"));
    String endpoint = "http://127.0.0.1:" + port;
    for (int i = 0; i < 600; i++) {
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/moto-api/").toURL().openConnection();
        if (c.getResponseCode() < 500) {
          return endpoint;
        }
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("moto_server did not answer on " + endpoint);
  }

  /**
   * One EC2 query-protocol action in us-east-1 of the default account, over the JDK's own HTTP client (not the AWS
   * SDK, whose first use the caller may be timing): moto makes an account's region state on first use.
   */
  static void ec2(String endpoint, String action) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/").toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    // moto tells the service and region from the credential scope; it checks no signature
    c.setRequestProperty("Authorization", "AWS4-HMAC-SHA256 Credential=AKIABENCH00000000000/20260101/us-east-1/ec2/"
        + "aws4_request, SignedHeaders=host, Signature=0");
    try (OutputStream out = c.getOutputStream()) {
      out.write(("Action=" + action + "&Version=2016-11-15").getBytes(StandardCharsets.UTF_8));
    }
    int status = c.getResponseCode();
    c.getInputStream().readAllBytes();
    if (status != 200) {
      throw new IOException(action + " answered HTTP " + status);
    }
  }
}
