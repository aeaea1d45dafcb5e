package dev.imagegate.examples.myapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MainTest {

  private Main app;
  private HttpClient client;

  @BeforeEach
  void start() throws Exception {
    app = Main.start("127.0.0.1", 0, "us-west-2"); // port 0: the OS picks a free port
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stop() {
    app.stop(0);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send("GET", path);
  }

  /** The value of {@code myapp_http_requests_total} with exactly these labels, or -1 if absent. */
  private static double counterValue(String metrics, String method, String route, String status) {
    Pattern p =
        Pattern.compile(
            "(?m)^myapp_http_requests_total\\{method=\""
                + Pattern.quote(method)
                + "\",route=\""
                + Pattern.quote(route)
                + "\",status_code=\""
                + Pattern.quote(status)
                + "\"} (\\S+)$");
    Matcher m = p.matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  @Test
  void healthAnswersExactJsonWithRegion() throws Exception {
    HttpResponse<String> r = get("/health");
    assertEquals(200, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals("{\"status\":\"healthy\",\"region\":\"us-west-2\"}", r.body());
  }

  @Test
  void healthReportsUnknownRegionWhenUnset() throws Exception {
    Main other = Main.start("127.0.0.1", 0, Main.regionOrUnknown(null));
    try {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port() + "/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals("{\"status\":\"healthy\",\"region\":\"unknown\"}", r.body());
    } finally {
      other.stop(0);
    }
  }

  @Test
  void unknownPathIs404() throws Exception {
    assertEquals(404, get("/nope").statusCode());
    assertEquals(404, get("/health/extra").statusCode());
  }

  @Test
  void nonGetOnHealthIs405() throws Exception {
    HttpResponse<String> r = send("POST", "/health");
    assertEquals(405, r.statusCode());
    assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(""));
  }

  @Test
  void metricsCountEveryRequestWithLabels() throws Exception {
    get("/health");
    get("/health");
    get("/does-not-exist");
    send("POST", "/health");

    HttpResponse<String> r = get("/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
        "content type: " + r.headers().firstValue("Content-Type"));
    String body = r.body();
    assertTrue(body.contains("# TYPE myapp_http_requests_total counter"), body);
    assertEquals(2.0, counterValue(body, "GET", "/health", "200"), body);
    assertEquals(1.0, counterValue(body, "GET", "other", "404"), body);
    assertEquals(1.0, counterValue(body, "POST", "/health", "405"), body);
    // JVM metrics are exposed too.
    assertTrue(body.contains("jvm_memory_used_bytes"), body);
    assertTrue(body.contains("jvm_threads_current"), body);

    // The previous scrape itself was counted.
    String again = get("/metrics").body();
    assertEquals(1.0, counterValue(again, "GET", "/metrics", "200"), again);
  }

  @Test
  void stopReleasesThePort() throws Exception {
    int port = app.port();
    app.stop(); // the default grace, as on SIGTERM
    assertThrows(java.io.IOException.class, () -> client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
            .timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void portAndRegionParsing() {
    assertEquals(8080, Main.parsePort(null));
    assertEquals(8080, Main.parsePort(" "));
    assertEquals(9090, Main.parsePort("9090"));
    assertThrows(IllegalArgumentException.class, () -> Main.parsePort("http"));
    assertThrows(IllegalArgumentException.class, () -> Main.parsePort("70000"));
    assertEquals("unknown", Main.regionOrUnknown(""));
    assertEquals("us-east-1", Main.regionOrUnknown("us-east-1"));
    assertEquals("a\\\"b", Main.jsonEscape("a\"b"));
  }
}
