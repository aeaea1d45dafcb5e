package dev.imagegate.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * An HTTP proxy in front of a real registry that injects faults chosen per request (a mock of the network, not of
 * the registry: every request that is not faulted reaches the real docker-registry).
 */
final class FaultProxy implements AutoCloseable {
  enum Fault {
    NONE, DROP_MID_BODY, STATUS_500, STATUS_429,
    /** waits 4 s, then forwards: a slow answer, not a stall */
    STALL,
    /** reads the request, sends response headers announcing 1 MB, then one byte per second until closed */
    TRICKLE,
    /** reads the request and never answers until closed */
    SILENT
  }

  private static final Set<String> HOP = Set.of("host", "content-length", "connection", "transfer-encoding", "expect", "upgrade");
  private final HttpServer server;
  private final String upstream;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
  private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
  final List<String> injected = new CopyOnWriteArrayList<>();
  final List<String> requests = new CopyOnWriteArrayList<>();

  /** @param decide (method, path) -> fault for this request */
  FaultProxy(String upstream, BiFunction<String, String, Fault> decide) throws IOException {
    this.upstream = upstream;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", ex -> handle(ex, decide));
    server.start();
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange ex, BiFunction<String, String, Fault> decide) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    requests.add(method + " " + path);
    Fault fault = decide.apply(method, path);
    try (InputStream in = ex.getRequestBody()) {
      switch (fault) {
        case DROP_MID_BODY -> {
          in.readNBytes(Math.max(1, (int) (contentLength(ex) / 2)));
          injected.add("drop " + method + " " + path);
          ex.close(); // no response headers sent: the connection is cut mid-request
          return;
        }
        case STATUS_500, STATUS_429 -> {
          in.readAllBytes();
          int status = fault == Fault.STATUS_500 ? 500 : 429;
          injected.add(status + " " + method + " " + path);
          if (status == 429) {
            ex.getResponseHeaders().add("Retry-After", "1");
          }
          ex.sendResponseHeaders(status, -1);
          ex.close();
          return;
        }
        case TRICKLE -> {
          in.readAllBytes();
          injected.add("trickle " + method + " " + path);
          ex.sendResponseHeaders(201, 1_000_000);
          for (int i = 0; i < 1_000_000 && !closed.await(1, java.util.concurrent.TimeUnit.SECONDS); i++) {
            ex.getResponseBody().write(' ');
            ex.getResponseBody().flush();
          }
          return;
        }
        case SILENT -> {
          in.readAllBytes();
          injected.add("silent " + method + " " + path);
          closed.await();
          return;
        }
        case STALL -> {
          injected.add("stall " + method + " " + path);
          Thread.sleep(4000);
        }
        default -> {}
      }
      byte[] body = in.readAllBytes();
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create("http://" + upstream + ex.getRequestURI()))
              .method(method, body.length == 0 && (method.equals("GET") || method.equals("HEAD")) ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
              .timeout(Duration.ofSeconds(60));
      ex.getRequestHeaders().forEach((k, vs) -> {
        if (!HOP.contains(k.toLowerCase())) {
          vs.forEach(v -> b.header(k, v));
        }
      });
      HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      r.headers().map().forEach((k, vs) -> {
        if (!HOP.contains(k.toLowerCase()) && !k.equals(":status")) {
          vs.forEach(v -> ex.getResponseHeaders().add(k, v.replace(upstream, address())));
        }
      });
      byte[] out = method.equals("HEAD") ? new byte[0] : r.body();
      if (method.equals("HEAD")) {
        r.headers().firstValue("Content-Length").ifPresent(cl -> ex.getResponseHeaders().set("Content-Length", cl));
        ex.sendResponseHeaders(r.statusCode(), -1);
      } else {
        ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
        ex.getResponseBody().write(out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client went away (e.g. it timed out on a stall)
    } finally {
      ex.close();
    }
  }

  private static long contentLength(HttpExchange ex) {
    String cl = ex.getRequestHeaders().getFirst("Content-Length");
    return cl == null ? 2 : Long.parseLong(cl);
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
  }
}
