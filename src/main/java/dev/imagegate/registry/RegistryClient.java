package dev.imagegate.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegate.NetworkTimeouts;
import dev.imagegate.Reporter;
import dev.imagegate.oci.Digests;
import dev.imagegate.registry.transport.TimedExchange;
import dev.imagegate.registry.transport.TransferTimeoutException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * A small OCI distribution (v1.1) client for ONE repository of ONE registry, on {@code java.net.http} and Jackson.
 * Thread-safe: one instance may upload several blobs concurrently.
 *
 * <h2>API (stable: the {@code push} and {@code sign} goals build on it)</h2>
 * <pre>{@code
 * RegistryClient client = new RegistryClient("127.0.0.1:5000", "myapp", credentials, RegistryOptions.DEFAULTS.withAllowInsecure(true), reporter);
 * Optional<ManifestResponse> m = client.getManifest("sha256-<hex>.sig");   // exact bytes, media type, digest; empty on 404
 * Optional<String> d = client.resolve("sha-<40 hex>");                   // HEAD: digest a tag points to
 * boolean present = client.hasBlob("sha256:…");
 * String digest = client.putBlob(bytes);                                  // small blobs; skips what exists
 * long sent = client.uploadBlob(BlobSource.of(digest, buffer), listener); // large blobs, retried from the start
 * boolean mounted = client.mountBlob("sha256:…", "other/repo");
 * byte[] blob = client.getBlob("sha256:…");                               // small blobs, digest-checked
 * String pushed = client.putManifest("sha-…", manifestBytes, mediaType);  // returns the verified digest
 * }</pre>
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>Registry host as in an image reference ({@code host[:port]}), or a URL {@code http(s)://host[:port]}.
 *       A bare host is spoken to over HTTPS; when {@link RegistryOptions#allowInsecure()} is set and HTTPS fails at
 *       the TLS/connection level, over plain HTTP. Plain HTTP is never used otherwise.</li>
 *   <li>Auth is probed once with {@code GET /v2/}: anonymous, Basic (ECR answers Basic) or Bearer token
 *       ({@code realm}/{@code service}, scope {@code repository:<repo>:pull,push}, re-fetched when a 401 asks for
 *       another scope or the token expires); a user name and password go to the token service as Basic auth, an
 *       identity token ({@link Credential#isIdentityToken()}) as an OAuth2 refresh token in a POST. Credentials come
 *       from the {@link CredentialProvider} for the host.</li>
 *   <li>Retries with exponential backoff on connection failures, 5xx and 429 ({@code Retry-After}
 *       honoured), at most {@link RegistryOptions#maxAttempts()} times, then a {@link RegistryException} naming the
 *       request. Blob uploads restart from a fresh upload session (an interrupted session's state is unknown).</li>
 *   <li>Every exchange (the probe, token requests, blob and manifest requests, uploads) runs under
 *       {@link RegistryOptions#network()}: one without a byte moving for the stall timeout, or not finished by its
 *       deadline (longer by the time its body needs at the slowest acceptable rate), is abandoned and the call fails at
 *       once naming the registry and the limit to raise; it is not retried (see {@code TimedExchange}).</li>
 *   <li>Digests are checked: manifest GETs against {@code Docker-Content-Digest} and the requested digest,
 *       manifest PUTs against the digest of the bytes sent, blob uploads by the registry ({@code ?digest=}).</li>
 *   <li>Redirects (blob GETs to storage) are followed by hand, without the Authorization header to another host.</li>
 * </ul>
 */
public final class RegistryClient {
  /** Media types accepted for manifest GETs. */
  public static final List<String> MANIFEST_TYPES =
      List.of(
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.docker.distribution.manifest.list.v2+json");

  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long an HTTPS probe waits for a TLS answer when plain HTTP is the allowed fallback. */
  private static final Duration TLS_PROBE_STALL = Duration.ofSeconds(3);
  private static final HttpClient SHARED_HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(15))
          .build();

  private final String registry;
  private final String repository;
  private final CredentialProvider credentials;
  private final RegistryOptions options;
  private final Reporter reporter;
  private final HttpClient http;
  private final String explicitScheme;

  // auth state, guarded by this
  private URI base;
  private boolean probed;
  private AuthChallenge challenge;
  private String authorization;
  private final Set<String> scopes = new LinkedHashSet<>();

  public RegistryClient(
      String registry, String repository, CredentialProvider credentials, RegistryOptions options, Reporter reporter) {
    this(registry, repository, credentials, options, reporter, SHARED_HTTP);
  }

  RegistryClient(
      String registry,
      String repository,
      CredentialProvider credentials,
      RegistryOptions options,
      Reporter reporter,
      HttpClient http) {
    Objects.requireNonNull(registry, "registry");
    String host = registry;
    String scheme = null;
    if (host.startsWith("http://") || host.startsWith("https://")) {
      scheme = host.substring(0, host.indexOf(':'));
      host = host.substring(host.indexOf("://") + 3);
      while (host.endsWith("/")) {
        host = host.substring(0, host.length() - 1);
      }
    }
    if (host.isEmpty() || host.contains("/")) {
      throw new IllegalArgumentException("not a registry host: " + registry);
    }
    if (!OciNames.isRepository(repository)) {
      throw new IllegalArgumentException("not a valid repository name: " + repository);
    }
    this.registry = host;
    this.explicitScheme = scheme;
    this.repository = repository;
    this.credentials = credentials == null ? CredentialProvider.NONE : credentials;
    this.options = options == null ? RegistryOptions.DEFAULTS : options;
    this.reporter = reporter == null ? Reporter.SILENT : reporter;
    this.http = http;
    scopes.add("repository:" + repository + ":pull,push");
  }

  /** The registry host (with port), as given. */
  public String registry() {
    return registry;
  }

  public String repository() {
    return repository;
  }

  /** {@code registry/repository}, the reference prefix. */
  public String name() {
    return registry + "/" + repository;
  }

  // ------------------------------------------------------------------ manifests

  /**
   * GETs a manifest by tag or digest: the exact bytes, their media type and digest; empty when the registry says 404.
   *
   * @throws RegistryException on auth failure, after bounded retries, or when the digest does not match
   */
  public Optional<ManifestResponse> getManifest(String tagOrDigest) throws RegistryException {
    checkReference(tagOrDigest);
    HttpResponse<byte[]> r =
        send("GET manifest " + tagOrDigest, () -> request(path("manifests/" + tagOrDigest)).header("Accept", String.join(", ", MANIFEST_TYPES)).GET(), HttpResponse.BodyHandlers.ofByteArray(), 200, 404);
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    byte[] bytes = r.body();
    String digest = Digests.sha256(bytes);
    Optional<String> served = r.headers().firstValue("Docker-Content-Digest");
    if (served.isPresent() && Digests.isSha256(served.get()) && !served.get().equals(digest)) {
      throw new RegistryException(
          name() + " served manifest " + tagOrDigest + " with Docker-Content-Digest " + served.get() + " but its bytes hash to " + digest + ".",
          "Check that no proxy rewrites manifests between the build and " + registry + ".");
    }
    if (Digests.isSha256(tagOrDigest) && !tagOrDigest.equals(digest)) {
      throw new RegistryException(
          name() + " answered a GET of manifest " + tagOrDigest + " with bytes whose digest is " + digest + ".",
          "The registry or a proxy in front of it is corrupting content; do not trust this registry.");
    }
    String mediaType = r.headers().firstValue("Content-Type").map(t -> t.split(";")[0].trim()).orElse("");
    return Optional.of(new ManifestResponse(bytes, mediaType, digest));
  }

  /** HEADs a manifest: the digest a tag (or digest) resolves to, empty on 404. */
  public Optional<String> resolve(String tagOrDigest) throws RegistryException {
    checkReference(tagOrDigest);
    HttpResponse<Void> r =
        send("HEAD manifest " + tagOrDigest, () -> request(path("manifests/" + tagOrDigest)).header("Accept", String.join(", ", MANIFEST_TYPES)).method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding(), 200, 404);
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    Optional<String> digest = r.headers().firstValue("Docker-Content-Digest").filter(Digests::isSha256);
    if (digest.isPresent()) {
      return digest;
    }
    // some registries omit the header on HEAD: fall back to GET
    return getManifest(tagOrDigest).map(ManifestResponse::digest);
  }

  /**
   * PUTs a manifest under a tag (or under its digest) with the exact bytes and media type, and checks that the
   * registry stored it under the digest of those bytes. Call only after every blob it references is in the repository.
   *
   * @return the manifest digest {@code sha256:…}
   */
  public String putManifest(String tagOrDigest, byte[] bytes, String mediaType) throws RegistryException {
    checkReference(tagOrDigest);
    Objects.requireNonNull(mediaType, "mediaType");
    byte[] body = bytes.clone();
    String digest = Digests.sha256(body);
    HttpResponse<byte[]> r =
        send("PUT manifest " + tagOrDigest, () -> request(path("manifests/" + tagOrDigest)).header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)), HttpResponse.BodyHandlers.ofByteArray(), 201, 200);
    Optional<String> stored = r.headers().firstValue("Docker-Content-Digest");
    if (stored.isPresent() && !stored.get().equals(digest)) {
      throw new RegistryException(
          name() + " stored manifest " + tagOrDigest + " under digest " + stored.get() + ", not " + digest + ".",
          "The registry rewrote the manifest; push to a registry that keeps manifests byte for byte.");
    }
    return digest;
  }

  // ------------------------------------------------------------------ blobs

  /** Whether the repository holds a blob (HEAD). */
  public boolean hasBlob(String digest) throws RegistryException {
    checkDigest(digest);
    HttpResponse<Void> r =
        send("HEAD blob " + digest, () -> request(path("blobs/" + digest)).method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding(), 200, 404, 307, 302);
    return r.statusCode() != 404;
  }

  /** Reads a small blob whole and checks its digest. */
  public byte[] getBlob(String digest) throws RegistryException {
    checkDigest(digest);
    HttpResponse<byte[]> r =
        send("GET blob " + digest, () -> request(path("blobs/" + digest)).GET(), HttpResponse.BodyHandlers.ofByteArray(), 200, 307, 302, 303);
    int hops = 0;
    while (r.statusCode() / 100 == 3) {
      if (++hops > 5) {
        throw new RegistryException(name() + " redirected GET blob " + digest + " too many times.", "Check the registry's storage configuration.");
      }
      URI target = r.uri().resolve(r.headers().firstValue("Location").orElseThrow());
      boolean sameHost = target.getAuthority() != null && target.getAuthority().equals(r.uri().getAuthority());
      URI t = target;
      r = send("GET blob " + digest + " (redirected)", () -> sameHost ? request(t).GET() : HttpRequest.newBuilder(t).GET(), HttpResponse.BodyHandlers.ofByteArray(), 200, 307, 302, 303);
    }
    byte[] bytes = r.body();
    if (!Digests.sha256(bytes).equals(digest)) {
      throw new RegistryException(name() + " served blob " + digest + " with other content.", "The registry or a proxy is corrupting content.");
    }
    return bytes;
  }

  /** Uploads a small blob unless the repository has it; returns its digest. */
  public String putBlob(byte[] bytes) throws RegistryException {
    BlobSource source = BlobSource.of(bytes);
    if (!hasBlob(source.digest())) {
      uploadBlob(source, ProgressListener.NONE);
    }
    return source.digest();
  }

  /**
   * Tries a cross-repository mount of a blob from another repository of the same registry.
   *
   * @return true when the registry mounted it (201); false when it did not (the upload session it opened instead is
   *     cancelled)
   */
  public boolean mountBlob(String digest, String fromRepository) throws RegistryException {
    checkDigest(digest);
    synchronized (this) {
      scopes.add("repository:" + fromRepository + ":pull");
    }
    String query = "?mount=" + enc(digest) + "&from=" + enc(fromRepository);
    HttpResponse<Void> r =
        send("mount blob " + digest + " from " + fromRepository, () -> request(path("blobs/uploads/" + query)).POST(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding(), 201, 202);
    if (r.statusCode() == 201) {
      return true;
    }
    r.headers().firstValue("Location").ifPresent(loc -> {
      try {
        URI u = r.uri().resolve(loc);
        send("cancel upload", () -> request(u).DELETE(), HttpResponse.BodyHandlers.discarding(), 204, 200, 404);
      } catch (RegistryException e) {
        reporter.debug("could not cancel an unused upload session on " + registry + ": " + e.getMessage());
      }
    });
    return false;
  }

  /**
   * Uploads a blob (monolithic PUT, or PATCH chunks when {@link RegistryOptions#chunkSize()} is set) and lets the
   * registry check its digest. A failed attempt (dropped connection, 5xx, 429) restarts with a fresh upload
   * session after a backoff, up to {@link RegistryOptions#maxAttempts()}; before restarting it checks whether the
   * blob arrived after all.
   *
   * @return the bytes sent, over all attempts
   */
  public long uploadBlob(BlobSource source, ProgressListener listener) throws RegistryException {
    checkDigest(source.digest());
    ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
    AtomicLong sentTotal = new AtomicLong();
    RegistryException last = null;
    for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
      try {
        uploadOnce(source, progress, sentTotal);
        return sentTotal.get();
      } catch (RetryableUploadException e) {
        last = e.failure;
        if (attempt == options.maxAttempts()) {
          break;
        }
        reporter.warn("Upload of " + source.digest() + " to " + name() + " failed (" + e.failure.getMessage() + "); retrying (" + (attempt + 1) + "/" + options.maxAttempts() + ").");
        sleep(backoff(attempt, e.retryAfter));
        try {
          if (hasBlob(source.digest())) {
            return sentTotal.get();
          }
        } catch (RegistryException ignored) {
          // the next attempt reports it
        }
      }
    }
    throw new RegistryException(
        "Upload of blob " + source.digest() + " (" + source.size() + " bytes) to " + name() + " failed after " + options.maxAttempts() + " attempts: " + last.getMessage(),
        "Check the network to " + registry + " and the registry's health, then run the goal again (blobs already uploaded are skipped).",
        last.status(),
        last);
  }

  private static final class RetryableUploadException extends Exception {
    private static final long serialVersionUID = 1L;
    final transient RegistryException failure;
    final Duration retryAfter;

    RetryableUploadException(RegistryException failure, Duration retryAfter) {
      super(failure.getMessage(), null, false, false);
      this.failure = failure;
      this.retryAfter = retryAfter;
    }
  }

  private void uploadOnce(BlobSource source, ProgressListener progress, AtomicLong sentTotal)
      throws RegistryException, RetryableUploadException {
    HttpResponse<Void> start =
        send("start upload of " + source.digest(), () -> request(path("blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding(), 202);
    URI location = start.uri().resolve(start.headers().firstValue("Location").orElseThrow(() -> new RegistryException(name() + " started an upload without a Location header.", "Use an OCI distribution compliant registry.")));
    long size = source.size();
    if (options.chunkSize() > 0 && size > options.chunkSize()) {
      long offset = 0;
      try (InputStream in = source.open()) {
        while (offset < size) {
          int n = (int) Math.min(options.chunkSize(), size - offset);
          byte[] chunk = in.readNBytes(n);
          if (chunk.length != n) {
            throw new RegistryException("The content of blob " + source.digest() + " ended early.", "Run the build goal again to recreate the image archive.");
          }
          long from = offset;
          URI loc = location;
          HttpResponse<byte[]> r =
              sendOnce("PATCH chunk of " + source.digest(), request(loc)
                  .header("Content-Type", "application/octet-stream")
                  .header("Content-Range", from + "-" + (from + n - 1))
                  .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk)), 202);
          offset += n;
          sentTotal.addAndGet(n);
          progress.progress(registry, source.digest(), offset, size);
          location = r.uri().resolve(r.headers().firstValue("Location").orElse(loc.toString()));
        }
      } catch (IOException e) {
        throw new RegistryException("Cannot read blob " + source.digest() + ": " + e.getMessage(), "Run the build goal again to recreate the image archive.", 0, e);
      }
      sendOnce("PUT blob " + source.digest(), request(withDigest(location, source.digest())).PUT(HttpRequest.BodyPublishers.noBody()), 201);
    } else {
      AtomicLong sent = new AtomicLong();
      Optional<java.nio.ByteBuffer> buffer = source.buffer();
      HttpRequest.BodyPublisher body = buffer.isPresent()
          ? HttpRequest.BodyPublishers.fromPublisher(new BufferPublisher(buffer.get(), n -> {
              sentTotal.addAndGet(n);
              progress.progress(registry, source.digest(), sent.addAndGet(n), size);
            }), size)
          : HttpRequest.BodyPublishers.fromPublisher(
              HttpRequest.BodyPublishers.ofInputStream(() -> {
                try {
                  return counting(source.open(), sent, sentTotal, source, progress);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }),
              size);
      sendOnce("PUT blob " + source.digest(), request(withDigest(location, source.digest())).header("Content-Type", "application/octet-stream").PUT(body), 201);
    }
  }

  private InputStream counting(InputStream in, AtomicLong sent, AtomicLong total, BlobSource source, ProgressListener progress) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          count(1);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          count(n);
        }
        return n;
      }

      private void count(int n) {
        total.addAndGet(n);
        progress.progress(registry, source.digest(), sent.addAndGet(n), source.size());
      }
    };
  }

  /** One request, no retry here: a retryable failure is signalled for the caller to restart the whole upload. */
  private HttpResponse<byte[]> sendOnce(String what, HttpRequest.Builder builder, int... ok)
      throws RegistryException, RetryableUploadException {
    HttpResponse<byte[]> r;
    try {
      r = exchange(authorize(builder).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (TransferTimeoutException e) {
      throw timedOut(what, e);
    } catch (IOException e) {
      throw new RetryableUploadException(new RegistryException(what + " to " + name() + ": " + describe(e), "", 0, e), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(what + " to " + name() + " was interrupted.", "", 0, e);
    }
    if (contains(ok, r.statusCode())) {
      return r;
    }
    RegistryException failure = failure(what, r.statusCode(), r.body(), r.headers().firstValue("WWW-Authenticate").orElse(null));
    if (retryable(r.statusCode()) || r.statusCode() == 401) {
      if (r.statusCode() == 401) {
        reauthenticate(r.headers().firstValue("WWW-Authenticate").orElse(null));
      }
      throw new RetryableUploadException(failure, retryAfter(r));
    }
    throw failure;
  }

  private static URI withDigest(URI location, String digest) {
    String s = location.toString();
    return URI.create(s + (s.contains("?") ? "&" : "?") + "digest=" + enc(digest));
  }

  // ------------------------------------------------------------------ transport, auth, retries

  private URI path(String rest) throws RegistryException {
    return base().resolve("/v2/" + repository + "/" + rest);
  }

  private HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).header("User-Agent", "imagegate-maven-plugin");
  }

  /** One exchange under the stall timeout and the whole-exchange deadline ({@link TimedExchange}). */
  private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
    return TimedExchange.send(http, request, handler, options.network());
  }

  /** A stalled or overdue exchange: not retried (the next attempt would hang the same way); says which limit to raise. */
  private RegistryException timedOut(String what, TransferTimeoutException e) {
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

  private synchronized HttpRequest.Builder authorize(HttpRequest.Builder b) {
    if (authorization != null) {
      b.setHeader("Authorization", authorization);
    }
    return b;
  }

  /** Sends an idempotent (or restartable) request with retries; returns a response whose status is one of {@code ok}. */
  private <T> HttpResponse<T> send(String what, RequestFactory factory, HttpResponse.BodyHandler<T> handler, int... ok)
      throws RegistryException {
    ensureAuthenticated();
    RegistryException last = null;
    boolean reauthenticated = false;
    for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
      Duration retryAfter = null;
      try {
        HttpRequest req = authorize(factory.create()).build();
        HttpResponse<T> r = exchange(req, handler);
        int status = r.statusCode();
        if (contains(ok, status)) {
          return r;
        }
        String wwwAuth = r.headers().firstValue("WWW-Authenticate").orElse(null);
        byte[] body = r.body() instanceof byte[] b ? b : new byte[0];
        last = failure(what, status, body, wwwAuth);
        if (status == 401 && !reauthenticated) {
          reauthenticated = true;
          reauthenticate(wwwAuth);
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

  @FunctionalInterface
  private interface RequestFactory {
    HttpRequest.Builder create() throws RegistryException;
  }

  private synchronized URI base() throws RegistryException {
    if (base == null) {
      ensureAuthenticated();
    }
    return base;
  }

  /** Probes {@code GET /v2/} once: chooses the scheme and the auth method. */
  private synchronized void ensureAuthenticated() throws RegistryException {
    if (probed) {
      return;
    }
    HttpResponse<byte[]> probe = probe();
    base = probe.uri().resolve("/");
    if (probe.statusCode() == 401) {
      challenge = AuthChallenge.parse(probe.headers().firstValue("WWW-Authenticate").orElse(null)).orElseThrow(() -> new RegistryException(
          registry + " requires authentication but sent no challenge it understands: " + probe.headers().firstValue("WWW-Authenticate").orElse("(none)"),
          "Use a registry that speaks Basic or Bearer token auth."));
      authenticate(challenge);
    } else if (probe.statusCode() != 200) {
      throw failure("GET /v2/", probe.statusCode(), probe.body(), null);
    }
    probed = true;
  }

  private HttpResponse<byte[]> probe() throws RegistryException {
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

  private RegistryException insecureRefused() {
    return new RegistryException(
        "Refusing plain HTTP to " + registry + ".",
        "Use HTTPS, or for a local test registry set allowInsecureRegistries (-Dimagegate.allowInsecureRegistries=true).");
  }

  private synchronized void reauthenticate(String wwwAuthenticate) throws RegistryException {
    Optional<AuthChallenge> c = AuthChallenge.parse(wwwAuthenticate);
    if (c.isEmpty()) {
      if (challenge == null) {
        throw new RegistryException(registry + " answered 401 without an auth challenge.", "Check the registry's auth configuration.");
      }
      authenticate(challenge);
      return;
    }
    challenge = c.get();
    c.get().param("scope").ifPresent(s -> scopes.addAll(List.of(s.split(" "))));
    authenticate(challenge);
  }

  private void authenticate(AuthChallenge c) throws RegistryException {
    Optional<Credential> credential = credentialFor();
    if (credential.isPresent() && base != null && "http".equals(base.getScheme()) && !options.allowInsecure()) {
      throw insecureRefused();
    }
    if (c.isBasic()) {
      Credential cred = credential.orElseThrow(() -> new RegistryException(
          registry + " requires credentials (Basic auth) and none were found for it.",
          "Add a <server> with id " + registry + " to settings.xml, run docker login " + registry + ", or for ECR let the plugin use AWS credentials (auth ecr)."));
      authorization = basic(cred);
      return;
    }
    String realm = c.param("realm").orElseThrow(() -> new RegistryException(registry + " sent a Bearer challenge without a realm.", "Check the registry's token auth configuration."));
    StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
    c.param("service").ifPresent(s -> url.append("service=").append(enc(s)).append('&'));
    for (String scope : scopes) {
      url.append("scope=").append(enc(scope)).append('&');
    }
    URI tokenUri = URI.create(url.substring(0, url.length() - 1));
    if ("http".equals(tokenUri.getScheme()) && credential.isPresent() && !options.allowInsecure()) {
      throw insecureRefused();
    }
    HttpRequest.Builder b;
    if (credential.isPresent() && credential.get().isIdentityToken()) {
      // An identity token (docker login's `identitytoken`, a credential helper's `<token>` user) is an OAuth2 refresh
      // token: the token service takes it in a POST (distribution docs/spec/auth/oauth.md, as the Docker client does),
      // never as the password of Basic auth, which such services refuse.
      StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=imagegate-maven-plugin&access_type=offline");
      c.param("service").ifPresent(s -> form.append("&service=").append(enc(s)));
      form.append("&scope=").append(enc(String.join(" ", scopes)));
      form.append("&refresh_token=").append(enc(credential.get().password()));
      // (the realm is the token URI without its query: the plain-HTTP check above covers it)
      b = request(URI.create(realm)).header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form.toString()));
    } else {
      b = request(tokenUri).GET();
      credential.ifPresent(cred -> b.header("Authorization", basic(cred)));
    }
    try {
      HttpResponse<byte[]> r = exchange(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new RegistryException(
            "The token service " + tokenUri.getHost() + " of " + registry + " refused a token for " + scopes + " (HTTP " + r.statusCode() + ").",
            credential.isPresent() ? "Check the credentials for " + registry + " and their permissions on " + repository + "." : "Provide credentials for " + registry + " (settings.xml server or docker login).",
            r.statusCode(), null);
      }
      JsonNode json = JSON.readTree(r.body());
      String token = json.path("token").asText(json.path("access_token").asText(""));
      if (token.isEmpty()) {
        throw new RegistryException("The token service of " + registry + " answered without a token.", "Check the registry's token auth configuration.");
      }
      authorization = "Bearer " + token;
    } catch (TransferTimeoutException e) {
      throw timedOut("GET token from " + tokenUri.getHost(), e);
    } catch (IOException e) {
      throw new RegistryException("Cannot get a token from " + tokenUri.getHost() + " for " + registry + ": " + describe(e), "Check the network to the token service.", 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("Interrupted while getting a token for " + registry, "", 0, e);
    }
  }

  private Optional<Credential> credentialFor() throws RegistryException {
    try {
      return credentials.forRegistry(registry);
    } catch (RuntimeException e) {
      throw new RegistryException("Cannot get credentials for " + registry + ": " + e.getMessage(), "Check the credential source configured for " + registry + ".", 0, e);
    }
  }

  private static String basic(Credential c) {
    return "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
  }

  private RegistryException failure(String what, int status, byte[] body, String wwwAuth) {
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

  private static boolean retryable(int status) {
    return status == 429 || status == 408 || (status >= 500 && status != 501 && status != 505);
  }

  private static Duration retryAfter(HttpResponse<?> r) {
    return r.headers().firstValue("Retry-After").flatMap(v -> {
      try {
        return Optional.of(Duration.ofSeconds(Math.min(30, Long.parseLong(v.trim()))));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }).orElse(null);
  }

  private Duration backoff(int attempt, Duration retryAfter) {
    if (retryAfter != null) {
      return retryAfter;
    }
    long ms = options.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
    return Duration.ofMillis(Math.min(ms, options.maxBackoff().toMillis()));
  }

  private static void sleep(Duration d) throws RegistryException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("Interrupted while waiting to retry.", "", 0, e);
    }
  }

  private static String describe(Throwable e) {
    String kind = e instanceof HttpTimeoutException ? "timed out" : e.getClass().getSimpleName();
    return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
  }

  private static boolean contains(int[] values, int v) {
    for (int x : values) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void checkDigest(String digest) {
    if (!Digests.isSha256(digest)) {
      throw new IllegalArgumentException("not a sha256 digest: " + digest);
    }
  }

  private static void checkReference(String ref) {
    if (!(Digests.isSha256(ref) || OciNames.isTag(ref))) {
      throw new IllegalArgumentException("not a tag or digest: " + ref);
    }
  }

  @Override
  public String toString() {
    return "RegistryClient[" + name() + "]";
  }
}
