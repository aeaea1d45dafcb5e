package dev.imagegate.registry;

import dev.imagegate.Reporter;
import dev.imagegate.oci.Digests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 *
 * <h2>Structure (along Jib's registry package)</h2>
 * This class is the one public face; the work is done by package-private parts: {@link RegistryTransport} (scheme
 * probe, send with retries and backoff, every exchange under {@link RegistryOptions#network()} through
 * {@code registry.transport.TimedExchange}, failure wording), {@link RegistryAuthenticator} (challenge, Basic, Bearer,
 * identity token; ECR tokens arrive as Basic credentials) and {@link BlobUploader} (mount, monolithic and chunked
 * upload, restart from a fresh session).
 */
public final class RegistryClient {
  /** Media types accepted for manifest GETs. */
  public static final List<String> MANIFEST_TYPES =
      List.of(
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.docker.distribution.manifest.list.v2+json");

  private static final HttpClient SHARED_HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(15))
          .build();

  private final String registry;
  private final String repository;
  private final RegistryTransport transport;
  private final BlobUploader uploader;

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
    this.repository = repository;
    this.transport = new RegistryTransport(
        host,
        scheme,
        repository,
        credentials == null ? CredentialProvider.NONE : credentials,
        options == null ? RegistryOptions.DEFAULTS : options,
        reporter == null ? Reporter.SILENT : reporter,
        http);
    this.uploader = new BlobUploader(transport, this::hasBlob);
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
        transport.send("GET manifest " + tagOrDigest, () -> transport.request(transport.path("manifests/" + tagOrDigest)).header("Accept", String.join(", ", MANIFEST_TYPES)).GET(), HttpResponse.BodyHandlers.ofByteArray(), 200, 404);
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
        transport.send("HEAD manifest " + tagOrDigest, () -> transport.request(transport.path("manifests/" + tagOrDigest)).header("Accept", String.join(", ", MANIFEST_TYPES)).method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding(), 200, 404);
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
        transport.send("PUT manifest " + tagOrDigest, () -> transport.request(transport.path("manifests/" + tagOrDigest)).header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)), HttpResponse.BodyHandlers.ofByteArray(), 201, 200);
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
        transport.send("HEAD blob " + digest, () -> transport.request(transport.path("blobs/" + digest)).method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding(), 200, 404, 307, 302);
    return r.statusCode() != 404;
  }

  /** Reads a small blob whole and checks its digest. */
  public byte[] getBlob(String digest) throws RegistryException {
    checkDigest(digest);
    HttpResponse<byte[]> r =
        transport.send("GET blob " + digest, () -> transport.request(transport.path("blobs/" + digest)).GET(), HttpResponse.BodyHandlers.ofByteArray(), 200, 307, 302, 303);
    int hops = 0;
    while (r.statusCode() / 100 == 3) {
      if (++hops > 5) {
        throw new RegistryException(name() + " redirected GET blob " + digest + " too many times.", "Check the registry's storage configuration.");
      }
      URI target = r.uri().resolve(r.headers().firstValue("Location").orElseThrow());
      boolean sameHost = target.getAuthority() != null && target.getAuthority().equals(r.uri().getAuthority());
      URI t = target;
      r = transport.send("GET blob " + digest + " (redirected)", () -> sameHost ? transport.request(t).GET() : HttpRequest.newBuilder(t).GET(), HttpResponse.BodyHandlers.ofByteArray(), 200, 307, 302, 303);
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
    return uploader.mount(digest, fromRepository);
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
    return uploader.upload(source, listener == null ? ProgressListener.NONE : listener);
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
