package dev.imagegate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransportProbeTest {
  private final TransportProbe probe = new TransportProbe(Duration.ofSeconds(2));

  @Test
  void aPlainHttpRegistryIsNotHttps() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v2/", exchange -> {
      exchange.sendResponseHeaders(200, 2);
      exchange.getResponseBody().write("{}".getBytes());
      exchange.close();
    });
    server.start();
    try {
      assertEquals(TransportProbe.Result.NOT_HTTPS, probe.probe("127.0.0.1:" + server.getAddress().getPort()));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aClosedPortIsUnreachable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    assertEquals(TransportProbe.Result.UNREACHABLE, probe.probe("127.0.0.1:" + port));
  }
}
