package dev.imagegate.registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * Asks a registry whether it speaks HTTPS with a certificate this JVM trusts, before anything (credentials above all)
 * is sent to it. jib-core silently falls back to plain HTTP for loopback registries; imagegate allows plain HTTP only
 * when the user opted in with {@code allowInsecureRegistries}, so it checks first.
 */
public final class TransportProbe {

  /** What the probe found. */
  public enum Result {
    /** An HTTPS answer (any status) with a trusted certificate. */
    HTTPS,
    /** The TLS handshake failed: plain HTTP, or a certificate that is not trusted. */
    NOT_HTTPS,
    /** Nothing answered. */
    UNREACHABLE
  }

  private final Duration timeout;

  public TransportProbe(Duration timeout) {
    this.timeout = timeout;
  }

  /** @param registry host[:port] as in an image reference */
  public Result probe(String registry) {
    URI uri = URI.create("https://" + registry + "/v2/");
    int port = uri.getPort() == -1 ? 443 : uri.getPort();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), port), (int) timeout.toMillis());
    } catch (IOException e) {
      return Result.UNREACHABLE;
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    try {
      client.send(request, HttpResponse.BodyHandlers.discarding());
      return Result.HTTPS;
    } catch (HttpTimeoutException e) {
      // the port accepts connections but no TLS handshake completes: a plain-HTTP server waiting for a request line
      return Result.NOT_HTTPS;
    } catch (IOException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof SSLException) {
          return Result.NOT_HTTPS;
        }
      }
      return Result.UNREACHABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.UNREACHABLE;
    }
  }
}
