package dev.imagegate.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP server that misbehaves the way a broken registry or proxy does, below HTTP: it accepts connections
 * and then either never answers ({@link Mode#SILENT}) or answers {@code 200} with a large {@code Content-Length} and
 * trickles the body one byte per second ({@link Mode#TRICKLE}). Everything it does ends when it is closed.
 */
final class SlowServer implements AutoCloseable {
  enum Mode { SILENT, TRICKLE }

  /** The body the trickle announces: far more than any test waits for at one byte per second. */
  static final int ANNOUNCED = 1_000_000;

  private final ServerSocket server;
  private final Mode mode;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  final List<String> requestLines = new CopyOnWriteArrayList<>();

  SlowServer(Mode mode) throws IOException {
    this.mode = mode;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "slow-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code 127.0.0.1:<port>} */
  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        Thread t = new Thread(() -> serve(s), "slow-server-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      requestLines.add(readLine(in));
      if (mode == Mode.SILENT) {
        closed.await(); // holds the connection open, says nothing, until the test closes the server
        return;
      }
      OutputStream out = s.getOutputStream();
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + ANNOUNCED + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      for (int i = 0; i < ANNOUNCED && !closed.await(1, TimeUnit.SECONDS); i++) {
        out.write(' ');
        out.flush();
      }
    } catch (IOException e) {
      // the client gave up: what the tests expect
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
      sb.append((char) c);
    }
    return sb.toString().trim();
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
