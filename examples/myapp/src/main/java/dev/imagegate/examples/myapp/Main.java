package dev.imagegate.examples.myapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * myapp: a small HTTP service with {@code GET /health} and {@code GET /metrics}.
 *
 * <p>Configuration comes from the environment: {@code PORT} (default 8080) and {@code AWS_REGION}
 * (reported by /health, default {@code unknown}). It binds 0.0.0.0 so that it is reachable inside a
 * container, and stops gracefully on SIGTERM (the JVM runs its shutdown hooks on SIGTERM).
 */
public final class Main {

  static final int DEFAULT_PORT = 8080;
  /**
   * How long a stop on SIGTERM waits for exchanges in flight to finish, in seconds. (On JDK 17 the
   * JDK's HttpServer.stop waits this long even when idle, so keep it short.)
   */
  static final int STOP_GRACE_SECONDS = 2;

  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");

  private final HttpServer server;
  private final ExecutorService executor;
  private final PrometheusRegistry registry;
  private final Counter requests;
  private final ExpositionFormats formats;
  private final String healthBody;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final CountDownLatch stoppedLatch = new CountDownLatch(1);

  private Main(InetSocketAddress address, String region) throws IOException {
    this.registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    this.requests =
        Counter.builder()
            .name("myapp_http_requests_total")
            .help("HTTP requests handled by myapp")
            .labelNames("method", "route", "status_code")
            .register(registry);
    this.formats = ExpositionFormats.init();
    this.healthBody =
        "{\"status\":\"healthy\",\"region\":\"" + jsonEscape(region) + "\"}";
    this.server = HttpServer.create(address, 0);
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "myapp-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /** Starts the service on {@code bindAddress:port} (port 0 picks a free port). */
  public static Main start(String bindAddress, int port, String region) throws IOException {
    Main app = new Main(new InetSocketAddress(bindAddress, port), region);
    app.server.start();
    return app;
  }

  public static void main(String[] args) throws Exception {
    int port = parsePort(System.getenv("PORT"));
    String region = regionOrUnknown(System.getenv("AWS_REGION"));
    Main app = start("0.0.0.0", port, region);
    Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "myapp-shutdown"));
    System.out.println(
        "myapp listening on 0.0.0.0:" + app.port() + " (region=" + region + ", java="
            + System.getProperty("java.version") + ")");
    System.out.flush();
    app.awaitStop();
  }

  /** The port actually bound. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops accepting connections, lets exchanges in flight finish (bounded), then releases threads. */
  public void stop() {
    stop(STOP_GRACE_SECONDS);
  }

  /** As {@link #stop()}, waiting at most {@code graceSeconds} for exchanges in flight. */
  public void stop(int graceSeconds) {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    server.stop(graceSeconds);
    executor.shutdown();
    try {
      executor.awaitTermination(Math.max(graceSeconds, 1), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.out.println("myapp stopped");
    System.out.flush();
    stoppedLatch.countDown();
  }

  /** Blocks until {@link #stop()} has completed. */
  public void awaitStop() throws InterruptedException {
    stoppedLatch.await();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String route;
    int status;
    try {
      switch (path) {
        case "/health" -> {
          route = "/health";
          status = onlyGet(exchange, method) ? respond(exchange, 200, "application/json", healthBody.getBytes(StandardCharsets.UTF_8)) : 405;
        }
        case "/metrics" -> {
          route = "/metrics";
          status = onlyGet(exchange, method) ? metrics(exchange) : 405;
        }
        default -> {
          route = "other";
          status = respond(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
        }
      }
    } catch (IOException | RuntimeException e) {
      requests.labelValues(methodLabel(method), routeOf(path), "500").inc();
      exchange.close();
      throw e;
    }
    requests.labelValues(methodLabel(method), route, Integer.toString(status)).inc();
  }

  private static String routeOf(String path) {
    return "/health".equals(path) || "/metrics".equals(path) ? path : "other";
  }

  private static String methodLabel(String method) {
    return KNOWN_METHODS.contains(method) ? method : "other";
  }

  /** Answers 405 unless GET or HEAD; returns whether the request may proceed. */
  private static boolean onlyGet(HttpExchange exchange, String method) throws IOException {
    if ("GET".equals(method) || "HEAD".equals(method)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
    respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n".getBytes(StandardCharsets.UTF_8));
    return false;
  }

  private int metrics(HttpExchange exchange) throws IOException {
    ExpositionFormatWriter writer = formats.findWriter(exchange.getRequestHeaders().getFirst("Accept"));
    if (writer == null || !writer.isAvailable()) {
      writer = formats.getPrometheusTextFormatWriter();
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
    writer.write(body, registry.scrape());
    return respond(exchange, 200, writer.getContentType(), body.toByteArray());
  }

  private static int respond(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : (body.length == 0 ? -1 : body.length));
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(body);
      }
    }
    return status;
  }

  static int parsePort(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_PORT;
    }
    try {
      int port = Integer.parseInt(value.trim());
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("PORT must be between 0 and 65535, got " + value);
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("PORT must be a number, got '" + value + "'", e);
    }
  }

  static String regionOrUnknown(String value) {
    return value == null || value.isBlank() ? "unknown" : value.trim();
  }

  static String jsonEscape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
