package dev.iasql.functions;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import javax.net.SocketFactory;

/**
 * Sockets for the listener's connection only. After pgjdbc (42.7) receives a notification, it asks whether more data
 * is pending with a blocking read under a 1 ms socket timeout, and that read always costs its full millisecond: about
 * a third of a bridge call's round trip. Here a read under exactly that timeout fails at once when nothing is
 * buffered, which is what the check means. Other reads are untouched. Public with a no-argument constructor because
 * pgjdbc instantiates it by name (connection property {@code socketFactory}).
 */
public final class ListenerSocketFactory extends SocketFactory {
  public ListenerSocketFactory() {}

  @Override
  public Socket createSocket() {
    return new PeekingSocket();
  }

  @Override
  public Socket createSocket(String host, int port) {
    throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
    throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
  }

  @Override
  public Socket createSocket(InetAddress host, int port) {
    throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
    throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
  }

  private static final class PeekingSocket extends Socket {
    private volatile int timeout;

    @Override
    public synchronized void setSoTimeout(int millis) throws SocketException {
      super.setSoTimeout(millis);
      timeout = millis;
    }

    @Override
    public InputStream getInputStream() throws IOException {
      InputStream in = super.getInputStream();
      return new FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          failFastIfPeeking();
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          failFastIfPeeking();
          return in.read(b, off, len);
        }

        private void failFastIfPeeking() throws IOException {
          if (timeout == 1 && in.available() == 0) {
            throw new SocketTimeoutException("nothing pending");
          }
        }
      };
    }
  }
}
