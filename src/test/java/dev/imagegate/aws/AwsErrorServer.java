package dev.imagegate.aws;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.imagegate.LogLine;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A loopback endpoint that answers every request with one AWS error response, as AWS words it, so that the SDK
 * builds its exception exactly as it does against AWS (error code, message, request id, its long getMessage()).
 */
public final class AwsErrorServer implements AutoCloseable {
  private final HttpServer server;

  private AwsErrorServer(int status, String contentType, String body) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      exchange.getResponseHeaders().add("Content-Type", contentType);
      exchange.getResponseHeaders().add("x-amzn-RequestId", "4c9d7a6e-0b1f-4f3a-9a57-3f1e2b7c8d90");
      exchange.getResponseHeaders().add("x-amz-request-id", "4C9D7A6E0B1F4F3A");
      exchange.sendResponseHeaders(status, exchange.getRequestMethod().equals("HEAD") ? -1 : bytes.length);
      if (!exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseBody().write(bytes);
      }
      exchange.close();
    });
    server.start();
  }

  /** A JSON-protocol service (ECR, KMS, STS-less): {@code {"__type": code, "message": text}}. */
  public static AwsErrorServer json(int status, String code, String message) throws IOException {
    return new AwsErrorServer(status, "application/x-amz-json-1.1",
        "{\"__type\":\"" + code + "\",\"message\":\"" + message.replace("\"", "\\\"") + "\"}");
  }

  /** S3's XML error document. */
  public static AwsErrorServer s3(int status, String code, String message) throws IOException {
    return new AwsErrorServer(status, "application/xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
            + "</Message><RequestId>4C9D7A6E0B1F4F3A</RequestId><HostId>aGVsbG8=</HostId></Error>");
  }

  /**
   * Asserts a failure reads as the issue asks: what failed and the fix in a few lines of at most {@link LogLine#WIDTH}
   * characters, with none of the SDK's dump (provider chain, "(Service: …, Request ID: …)").
   */
  public static void assertReadable(String message, String suggestion) {
    String shown = message + System.lineSeparator() + "  Fix: " + suggestion;
    System.out.println(shown);
    assertTrue(shown.lines().count() <= 6, "a few lines: " + shown);
    // as Maven prints them, after "[ERROR] "
    shown.lines().forEach(l -> assertTrue(LogLine.width("[ERROR] " + l) <= LogLine.WIDTH, "a line of " + LogLine.width("[ERROR] " + l) + ": " + l));
    for (String dump : new String[] {"CredentialsProvider(", "(Service:", "Request ID", "Unable to load credentials from any"}) {
      assertFalse(shown.contains(dump), shown);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
