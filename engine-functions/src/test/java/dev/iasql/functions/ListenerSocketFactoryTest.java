package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/** The listener's sockets answer pgjdbc's 1 ms "anything pending?" read at once, and read data as usual. */
class ListenerSocketFactoryTest {
  @Test
  void aPeekWithNothingBufferedFailsAsATimeoutAndDataStillFlows() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new ListenerSocketFactory().createSocket()) {
      client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
      try (Socket peer = server.accept()) {
        InputStream in = client.getInputStream();
        OutputStream out = peer.getOutputStream();

        client.setSoTimeout(1);
        assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class).hasMessage("nothing pending");

        out.write(42);
        out.flush();
        client.setSoTimeout(0);
        assertThat(in.read()).isEqualTo(42); // a blocking read is not affected

        out.write(new byte[] {7, 8});
        out.flush();
        while (in.available() < 2) {
          Thread.onSpinWait();
        }
        client.setSoTimeout(1);
        byte[] buf = new byte[2];
        assertThat(in.read(buf, 0, 2)).isEqualTo(2); // with data buffered the peek reads it
        assertThat(buf).containsExactly(7, 8);

        client.setSoTimeout(5);
        assertThatThrownBy(in::read).as("any other timeout behaves as the JDK does")
            .isInstanceOf(SocketTimeoutException.class).hasMessageNotContaining("nothing pending");
      }
    }
  }
}
