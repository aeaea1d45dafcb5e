package dev.imagegate.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegate.NetworkTimeouts;
import dev.imagegate.Reporter;
import dev.imagegate.registry.transport.TimedExchange;
import dev.imagegate.registry.transport.TransferTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The transport of a {@link RegistryClient} (Jib's {@code RegistryEndpointCaller} and {@code FailoverHttpClient}): the
 * scheme probe (HTTPS, plain HTTP only when allowed), requests sent with bounded retries and backoff, every exchange
 * under the network limits ({@link TimedExchange}), and the wording of what failed. Each request is authorized by the
 * {@link RegistryAuthenticator} this transport owns; a 401 asks it to authenticate again once.
 */
final class RegistryTransport {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long an HTTPS probe waits for a TLS answer when plain HTTP is the allowed fallback. */
  private static final Duration TLS_PROBE_STALL = Duration.ofSeconds(3);

  private final String registry;
  private final String explicitScheme;
  private final String repository;
  private final RegistryOptions options;
  private final Reporter reporter;
  private final HttpClient http;
  private final RegistryAuthenticator auth;

  RegistryTransport(
      String registry,
      String explicitScheme,
      String repository,
      CredentialProvider credentials,
      RegistryOptions options,
      Reporter reporter,
      HttpClient http) {
    this.registry = registry;
    this.explicitScheme = explicitScheme;
    this.repository = repository;
    this.options = options;
    this.reporter = reporter;
    this.http = http;
    this.auth = new RegistryAuthenticator(this, credentials);
  }

  RegistryAuthenticator authenticator() {
    return auth;
  }

  String registry() {
    return registry;
  }

  String repository() {
    return repository;
  }

  /** {@code registry/repository}, as messages name it. */
  String name() {
    return registry + "/" + repository;
  }

  RegistryOptions options() {
    return options;
  }

  Reporter reporter() {
    return reporter;
  }

  /** {@code /v2/<repository>/<rest>} on the probed base URI. */
  URI path(String rest) throws RegistryException {
    return auth.base().resolve("/v2/" + repository + "/" + rest);
  }

  HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).header("User-Agent", "imagegate-maven-plugin");
  }

  /** Sends an idempotent (or restartable) request with retries; returns a response whose status is one of {@code ok}. */
  <T> HttpResponse<T> send(String what, RequestFactory factory, HttpResponse.BodyHandler<T> handler, int... ok)
      throws RegistryException {
    auth.ensureAuthenticated();
    RegistryException last = null;
    boolean reauthenticated = false;
    for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
      Duration retryAfter = null;
      try {
        HttpRequest req = auth.authorize(factory.create()).build();
        HttpResponse<T> r = exchange(req, handler);
        int status = r.statusCode();
        if (contains(ok, status)) {
          return r;
        }
        String wwwAuth = r.headers().firstValue("WWW-Authenticate").orElse(null);
        byte[] body = r.body() instanceof byte[] b ? b : new byte[0];
        last = failure(what, status, body);
        if (status == 401 && !reauthenticated) {
          reauthenticated = true;
          auth.reauthenticate(wwwAuth);
          attempt--; // an auth round trip is not a failed attempt
          continue;
        }
        if (!retryable(status)) {
          throw last;
        }
        retryAfter = retryAfter(r);
      } catch (TransferTimeoutException e) {
        throw timedOut(what, e);
      } catch (IOException e) {
        last = new RegistryException(what + " to " + name() + ": " + describe(e), "Check the network to " + registry + ".", 0, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryException(what + " to " + name() + " was interrupted.", "", 0, e);
      }
      if (attempt < options.maxAttempts()) {
        reporter.debug(what + " to " + name() + " failed (" + last.getMessage() + "), retrying");
        sleep(backoff(attempt, retryAfter));
      }
    }
    throw new RegistryException(
        last.getMessage() + " (gave up after " + options.maxAttempts() + " attempts)",
        "Check the registry " + registry + " (health, rate limits, network), then run the goal again.",
        last.status(),
        last);
  }

  /** A request to send, built afresh for every attempt. */
  @FunctionalInterface
  interface RequestFactory {
    HttpRequest.Builder create() throws RegistryException;
  }

  /** One exchange under the stall timeout and the whole-exchange deadline ({@link TimedExchange}). */
  <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
    return TimedExchange.send(http, request, handler, options.network());
  }

  /** {@code GET /v2/} with bounded retries: chooses the scheme (HTTPS; plain HTTP only as the allowed fallback). */
  HttpResponse<byte[]> probe() throws RegistryException {
    List<String> schemes = explicitScheme != null ? List.of(explicitScheme) : options.allowInsecure() ? List.of("https", "http") : List.of("https");
    if ("http".equals(explicitScheme) && !options.allowInsecure()) {
      throw insecureRefused();
    }
    RegistryException last = null;
    for (String scheme : schemes) {
      URI uri = URI.create(scheme + "://" + registry + "/v2/");
      // A plain-HTTP server never answers a TLS handshake (it waits for a request line): when plain HTTP is the
      // allowed fallback, a silent HTTPS probe means "try http", after a short wait instead of the whole stall timeout.
      boolean fallbackAhead = !scheme.equals(schemes.get(schemes.size() - 1));
      NetworkTimeouts limits = fallbackAhead && options.network().stallTimeout().compareTo(TLS_PROBE_STALL) > 0
          ? options.network().withStallTimeout(TLS_PROBE_STALL) : options.network();
      for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
        try {
          HttpResponse<byte[]> r = TimedExchange.send(http, request(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray(), limits);
          if (retryable(r.statusCode()) && attempt < options.maxAttempts()) {
            sleep(backoff(attempt, retryAfter(r)));
            continue;
          }
          return r;
        } catch (TransferTimeoutException e) {
          if (fallbackAhead) {
            last = new RegistryException("Cannot reach " + uri + ": " + describe(e), "", 0, e);
            break; // no TLS answer: try the next scheme
          }
          throw timedOut("GET /v2/", e);
        } catch (SSLException | ConnectException e) {
          last = new RegistryException("Cannot reach " + uri + ": " + describe(e), "", 0, e);
          if (e instanceof SSLException) {
            break; // wrong scheme: try the next one, retries do not help
          }
          if (attempt < options.maxAttempts()) {
            sleep(backoff(attempt, null));
          }
        } catch (IOException e) {
          last = new RegistryException("Cannot reach " + uri + ": " + describe(e), "", 0, e);
          if (attempt < options.maxAttempts()) {
            sleep(backoff(attempt, null));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RegistryException("Interrupted while probing " + registry, "", 0, e);
        }
      }
    }
    boolean maybeHttp = !options.allowInsecure() && explicitScheme == null && last != null && last.getCause() instanceof SSLException;
    throw new RegistryException(
        last.getMessage(),
        maybeHttp ? "If " + registry + " is a local test registry over plain HTTP, set allowInsecureRegistries (-Dimagegate.allowInsecureRegistries=true)."
            : "Check that the registry " + registry + " runs and is reachable from this machine.",
        0,
        last);
  }

  RegistryException insecureRefused() {
    return new RegistryException(
        "Refusing plain HTTP to " + registry + ".",
        "Use HTTPS, or for a local test registry set allowInsecureRegistries (-Dimagegate.allowInsecureRegistries=true).");
  }

  /** A stalled or overdue exchange: not retried (the next attempt would hang the same way); says which limit to raise. */
  RegistryException timedOut(String what, TransferTimeoutException e) {
    boolean stalled = e.kind() == TransferTimeoutException.Kind.STALLED;
    return new RegistryException(
        what + " to " + name() + " was abandoned: " + e.getMessage() + ".",
        (stalled
                ? "The registry " + registry + " (or a proxy in front of it) accepted the request and then stopped answering."
                : "The registry " + registry + " (or a proxy in front of it) kept the exchange alive but far too slowly.")
            + " Check its health and the network path to it, then run the goal again (what was already uploaded is skipped)."
            + (stalled
                ? " If the link really pauses longer, raise " + NetworkTimeouts.STALL_PROPERTY + " (now " + options.network().stallTimeout().toSeconds() + ")."
                : " If the link is really this slow, raise " + NetworkTimeouts.TIMEOUT_PROPERTY + " (now " + options.network().timeout().toSeconds() + ")."),
        0,
        e);
  }

  /** An unexpected status: the registry's own error codes, and what to check for that status. */
  RegistryException failure(String what, int status, byte[] body) {
    String detail = "";
    try {
      if (body != null && body.length > 0) {
        JsonNode errors = JSON.readTree(body).path("errors");
        if (errors.isArray() && errors.size() > 0) {
          StringBuilder sb = new StringBuilder();
          for (JsonNode e : errors) {
            sb.append(sb.length() > 0 ? "; " : "").append(e.path("code").asText()).append(": ").append(e.path("message").asText());
          }
          detail = " (" + sb + ")";
        }
      }
    } catch (IOException | RuntimeException e) {
      detail = "";
    }
    String suggestion =
        switch (status) {
          case 401 -> "Check the credentials for " + registry + " (settings.xml server, docker login, or AWS credentials for ECR).";
          case 403 -> "The credentials for " + registry + " lack permission on " + repository + " (for ECR: an expired token gives 403 too; check the IAM policy).";
          case 404 -> "Check that the repository " + repository + " exists on " + registry + ".";
          default -> "Check the registry " + registry + " and run the goal again.";
        };
    return new RegistryException(what + " to " + name() + " failed: HTTP " + status + detail, suggestion, status, null);
  }

  static boolean retryable(int status) {
    return status == 429 || status == 408 || (status >= 500 && status != 501 && status != 505);
  }

  static Duration retryAfter(HttpResponse<?> r) {
    return r.headers().firstValue("Retry-After").flatMap(v -> {
      try {
        return Optional.of(Duration.ofSeconds(Math.min(30, Long.parseLong(v.trim()))));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }).orElse(null);
  }

  Duration backoff(int attempt, Duration retryAfter) {
    if (retryAfter != null) {
      return retryAfter;
    }
    long ms = options.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
    return Duration.ofMillis(Math.min(ms, options.maxBackoff().toMillis()));
  }

  static void sleep(Duration d) throws RegistryException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("Interrupted while waiting to retry.", "", 0, e);
    }
  }

  static String describe(Throwable e) {
    String kind = e instanceof HttpTimeoutException ? "timed out" : e.getClass().getSimpleName();
    return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
  }

  static boolean contains(int[] values, int v) {
    for (int x : values) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
