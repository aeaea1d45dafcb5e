package dev.imagegate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.imagegate.NetworkTimeouts;
import dev.imagegate.Reporter;
import dev.imagegate.registry.transport.TransferTimeoutException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Deadlines against local fault servers ({@link SlowServer}) with short configured limits. Each limit is far from
 * the other (the one under test is 1-2 s, the other 60 s) and far from the server's pace, so which one fires does not
 * depend on how fast this machine is. The class timeout only keeps a regression from hanging the build; it asserts
 * nothing about speed.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class RegistryDeadlineTest {

  private static RegistryOptions options(Duration stall, Duration timeout) {
    return RegistryOptions.DEFAULTS.withAllowInsecure(true)
        .withRetries(3, Duration.ofMillis(10), Duration.ofMillis(20))
        .withNetwork(NetworkTimeouts.DEFAULTS.withStallTimeout(stall).withTimeout(timeout));
  }

  @Test
  void aServerThatAcceptsAndNeverAnswersFailsAfterTheStallTimeoutWithoutRetrying() throws Exception {
    try (SlowServer server = new SlowServer(SlowServer.Mode.SILENT)) {
      RegistryClient client = new RegistryClient("http://" + server.address(), "team/myapp", CredentialProvider.NONE,
          options(Duration.ofSeconds(1), Duration.ofSeconds(60)), Reporter.SILENT);
      RegistryException e = assertThrows(RegistryException.class, () -> client.hasBlob("sha256:" + "a".repeat(64)));
      assertTrue(e.getMessage().contains(server.address()), e.getMessage());
      assertTrue(e.getMessage().contains("no byte moved for 1 s (no answer)"), e.getMessage());
      assertTrue(e.suggestion().contains("stopped answering"), e.suggestion());
      assertTrue(e.suggestion().contains(NetworkTimeouts.STALL_PROPERTY), e.suggestion());
      assertTrue(e.getCause() instanceof TransferTimeoutException t && t.kind() == TransferTimeoutException.Kind.STALLED, String.valueOf(e.getCause()));
      assertEquals(1, server.requestLines.size(), "a stalled exchange is not retried: " + server.requestLines);
    }
  }

  @Test
  void aServerThatSendsHeadersThenTricklesTheBodyFailsAtTheDeadline() throws Exception {
    try (SlowServer server = new SlowServer(SlowServer.Mode.TRICKLE)) {
      // 1 s of base deadline plus the time the announced 1 MB needs at the slowest acceptable rate (1 MB/s here)
      NetworkTimeouts limits = new NetworkTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(1), 1_000_000);
      RegistryClient client = new RegistryClient("http://" + server.address(), "team/myapp", CredentialProvider.NONE,
          options(Duration.ofSeconds(60), Duration.ofSeconds(1)).withNetwork(limits), Reporter.SILENT);
      RegistryException e = assertThrows(RegistryException.class, () -> client.getManifest("sha-" + "a".repeat(40)));
      assertTrue(e.getMessage().contains(server.address()), e.getMessage());
      assertTrue(e.getMessage().contains("not finished within 2 s"), e.getMessage());
      assertTrue(e.getMessage().contains("of " + SlowServer.ANNOUNCED + " bytes of the answer received"), e.getMessage());
      assertTrue(e.suggestion().contains(NetworkTimeouts.TIMEOUT_PROPERTY), e.suggestion());
      assertTrue(e.getCause() instanceof TransferTimeoutException t && t.kind() == TransferTimeoutException.Kind.DEADLINE, String.valueOf(e.getCause()));
      assertEquals(1, server.requestLines.size(), "an overdue exchange is not retried: " + server.requestLines);
    }
  }

  @Test
  void aTokenServiceThatNeverAnswersFailsNamingTheRegistry() throws Exception {
    // a registry that asks for a Bearer token from a token service that accepts and never answers
    HttpServer registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    try (SlowServer realm = new SlowServer(SlowServer.Mode.SILENT)) {
      registry.createContext("/", ex -> {
        ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + realm.address() + "/token\",service=\"test\"");
        ex.sendResponseHeaders(401, -1);
        ex.close();
      });
      registry.start();
      String address = "127.0.0.1:" + registry.getAddress().getPort();
      RegistryClient client = new RegistryClient("http://" + address, "team/myapp", CredentialProvider.NONE,
          options(Duration.ofSeconds(1), Duration.ofSeconds(60)), Reporter.SILENT);
      RegistryException e = assertThrows(RegistryException.class, () -> client.hasBlob("sha256:" + "b".repeat(64)));
      assertTrue(e.getMessage().startsWith("GET token from 127.0.0.1 to " + address), e.getMessage());
      assertTrue(e.getMessage().contains("no byte moved for 1 s"), e.getMessage());
    } finally {
      registry.stop(0);
    }
  }
}
