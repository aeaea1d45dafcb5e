package dev.imagegate.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.imagegate.Reporter;
import dev.imagegate.oci.Digests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Bearer token flow (GHCR, Harbor, GitLab, Artifactory, Docker Hub) against the real CNCF registry of scripts/peers
 * configured with {@code auth: token} ({@code IMAGEGATE_REGISTRY_TOKEN}). Its token realm is served here, by this test:
 * a loopback JDK HttpServer on {@code IMAGEGATE_TOKEN_REALM_PORT} that checks Basic credentials, grants exactly the
 * scopes asked for and signs an RS256 JWT with the peers' issuer key ({@code IMAGEGATE_TOKEN_KEY}), its certificate
 * ({@code IMAGEGATE_TOKEN_CERT}, the registry's rootcertbundle) in {@code x5c} — as the distribution token spec
 * (docs/spec/auth/jwt.md) describes. Skipped without the peers' env.
 */
class BearerTokenRegistryTest {
  static final String SERVICE = "imagegate-test";
  static final String ISSUER = "imagegate-test-issuer";
  static final String USER = "imagegate-ci";
  static final String PASSWORD = "pw-" + UUID.randomUUID();
  /** An identity token (OAuth2 refresh token) the token service accepts, as `docker login` stores for some registries. */
  static final String REFRESH_TOKEN = "rt-" + UUID.randomUUID();
  static final ObjectMapper JSON = new ObjectMapper();

  static TokenServer tokens;

  /** What the token server was asked, and what it answered. */
  record TokenRequest(String method, String service, List<String> scopes, String user, boolean granted) {}

  /** A minimal token service after the distribution token spec: Basic auth in, signed JWT out. */
  static final class TokenServer implements AutoCloseable {
    final HttpServer server;
    final PrivateKey key;
    final String x5c;
    final List<TokenRequest> requests = new CopyOnWriteArrayList<>();
    /** Answer as an OAuth2-style service does: {@code access_token} only, no {@code token}. */
    volatile boolean accessTokenOnly;

    TokenServer(int port, Path keyPem, Path certPem) throws Exception {
      key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pem(keyPem, "PRIVATE KEY")));
      X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certPem)));
      x5c = Base64.getEncoder().encodeToString(cert.getEncoded());
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      server.createContext("/token", this::handle);
      server.start();
    }

    static byte[] pem(Path file, String type) throws IOException {
      String text = Files.readString(file);
      String begin = "-----BEGIN " + type + "-----";
      int from = text.indexOf(begin);
      int to = text.indexOf("-----END " + type + "-----");
      if (from < 0 || to < 0) {
        throw new IOException(file + " holds no " + type + " (PKCS#8) PEM block");
      }
      return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    }

    private void handle(HttpExchange x) throws IOException {
      try (x) {
        String service = null;
        List<String> scopes = new ArrayList<>();
        String user = null;
        boolean authenticated = false;
        String grantType = null;
        String refreshToken = null;
        // GET: query and Basic credentials; POST: an OAuth2 form (grant_type=refresh_token) for identity tokens
        boolean post = x.getRequestMethod().equals("POST");
        String query = post ? new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8) : x.getRequestURI().getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
          int eq = pair.indexOf('=');
          String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
          String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          if (k.equals("service")) {
            service = v;
          } else if (k.equals("scope")) {
            scopes.addAll(List.of(v.split(" ")));
          } else if (k.equals("grant_type")) {
            grantType = v;
          } else if (k.equals("refresh_token")) {
            refreshToken = v;
          }
        }
        String auth = x.getRequestHeaders().getFirst("Authorization");
        if (post) {
          user = "identity-token";
          authenticated = "refresh_token".equals(grantType) && REFRESH_TOKEN.equals(refreshToken) && auth == null;
        } else if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
          String up = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
          int colon = up.indexOf(':');
          user = colon < 0 ? up : up.substring(0, colon);
          authenticated = colon > 0 && user.equals(USER) && up.substring(colon + 1).equals(PASSWORD);
        }
        boolean granted = authenticated && SERVICE.equals(service);
        requests.add(new TokenRequest(x.getRequestMethod(), service, List.copyOf(scopes), user, granted));
        if (!granted) {
          x.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"imagegate-test-token\"");
          byte[] body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}".getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(401, body.length);
          x.getResponseBody().write(body);
          return;
        }
        String token = sign(user, service, scopes);
        ObjectNode answer = JSON.createObjectNode();
        if (!accessTokenOnly) {
          answer.put("token", token);
        }
        answer.put("access_token", token).put("expires_in", 300).put("issued_at", Instant.now().toString());
        byte[] body = JSON.writeValueAsBytes(answer);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(200, body.length);
        try (OutputStream out = x.getResponseBody()) {
          out.write(body);
        }
      } catch (Exception e) {
        e.printStackTrace();
        x.sendResponseHeaders(500, -1);
      }
    }

    /** An RS256 JWT granting exactly the actions of each {@code type:name:actions} scope asked for. */
    String sign(String subject, String audience, List<String> scopes) throws Exception {
      ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
      header.putArray("x5c").add(x5c);
      long now = Instant.now().getEpochSecond();
      ObjectNode claims = JSON.createObjectNode()
          .put("iss", ISSUER).put("sub", subject).put("aud", audience)
          .put("exp", now + 300).put("nbf", now - 10).put("iat", now)
          .put("jti", UUID.randomUUID().toString());
      ArrayNode access = claims.putArray("access");
      for (String scope : scopes) {
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first <= 0 || last <= first) {
          continue; // not type:name:actions: nothing granted for it
        }
        ObjectNode entry = access.addObject().put("type", scope.substring(0, first)).put("name", scope.substring(first + 1, last));
        ArrayNode actions = entry.putArray("actions");
        for (String action : scope.substring(last + 1).split(",")) {
          if (!action.isBlank()) {
            actions.add(action);
          }
        }
      }
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String signingInput = b64.encodeToString(JSON.writeValueAsBytes(header)) + "." + b64.encodeToString(JSON.writeValueAsBytes(claims));
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(key);
      rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64.encodeToString(rs256.sign());
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  static final List<String> ENV = List.of("IMAGEGATE_REGISTRY_TOKEN", "IMAGEGATE_TOKEN_REALM_PORT", "IMAGEGATE_TOKEN_KEY", "IMAGEGATE_TOKEN_CERT");

  @BeforeAll
  static void startTokenServer() throws Exception {
    if (ENV.stream().allMatch(n -> System.getenv(n) != null && !System.getenv(n).isBlank())) {
      tokens = new TokenServer(Integer.parseInt(System.getenv("IMAGEGATE_TOKEN_REALM_PORT")),
          Path.of(System.getenv("IMAGEGATE_TOKEN_KEY")), Path.of(System.getenv("IMAGEGATE_TOKEN_CERT")));
    }
  }

  @AfterAll
  static void stopTokenServer() {
    if (tokens != null) {
      tokens.close();
    }
  }

  @BeforeEach
  void forget() {
    ENV.forEach(RegistryClientTest::env); // each test is skipped, with the name of what is missing, without the peers' env
    tokens.requests.clear();
    tokens.accessTokenOnly = false;
  }

  static String host() {
    return RegistryClientTest.env("IMAGEGATE_REGISTRY_TOKEN");
  }

  static String repo() {
    return "test/bearer-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static CredentialProvider credentials(String password) {
    return h -> Optional.of(new Credential(USER, password));
  }

  @Test
  void registryRefusesAnonymousRequestsWithABearerChallenge() throws Exception {
    String repo = repo();
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repo + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, r.statusCode(), r.body());
    String header = r.headers().firstValue("WWW-Authenticate").orElse("");
    AuthChallenge challenge = AuthChallenge.parse(header).orElseThrow();
    assertTrue(challenge.isBearer(), header);
    assertEquals(Optional.of("http://127.0.0.1:" + RegistryClientTest.env("IMAGEGATE_TOKEN_REALM_PORT") + "/token"), challenge.param("realm"), header);
    assertEquals(Optional.of(SERVICE), challenge.param("service"), header);
    // docker-registry 2.8 lists the actions in either order (pull,push or push,pull)
    String scope = challenge.param("scope").orElseThrow();
    assertTrue(scope.equals("repository:" + repo + ":pull,push") || scope.equals("repository:" + repo + ":push,pull"), header);
  }

  @Test
  void roundTripThroughTheBearerFlow() throws Exception {
    String repo = repo();
    RegistryClient client = new RegistryClient(host(), repo, credentials(PASSWORD), RegistryClientTest.INSECURE, Reporter.SILENT);
    byte[] layer = new byte[1024 * 1024 + 3];
    new Random(11).nextBytes(layer);
    String layerDigest = Digests.sha256(layer);
    assertFalse(client.hasBlob(layerDigest));
    assertEquals(layer.length, client.uploadBlob(BlobSource.of(layerDigest, ByteBuffer.wrap(layer)), null));
    assertTrue(client.hasBlob(layerDigest));
    assertArrayEquals(layer, client.getBlob(layerDigest));
    byte[] cfg = RegistryClientTest.config("bearer");
    String cfgDigest = client.putBlob(cfg);
    byte[] m = RegistryClientTest.manifest(cfgDigest, cfg.length, layerDigest, layer.length);
    String digest = client.putManifest("sha-1", m, "application/vnd.oci.image.manifest.v1+json");
    assertEquals(Digests.sha256(m), digest);
    ManifestResponse got = client.getManifest("sha-1").orElseThrow();
    assertArrayEquals(m, got.bytes());
    assertEquals(digest, got.digest());
    assertEquals(Optional.of(digest), client.resolve("sha-1"));

    assertFalse(tokens.requests.isEmpty(), "the client never asked the token service");
    for (TokenRequest t : tokens.requests) {
      assertEquals(SERVICE, t.service(), t.toString());
      assertEquals(USER, t.user(), t.toString());
      assertTrue(t.granted(), t.toString());
    }
    assertEquals(List.of("repository:" + repo + ":pull,push"), tokens.requests.get(0).scopes());
    // one token serves the whole session: no token round trip per request
    assertTrue(tokens.requests.size() <= 2, tokens.requests.toString());

    // the registry really checks the token's scope: a token for this repository does not open another one
    String token = tokens.sign(USER, SERVICE, List.of("repository:" + repo + ":pull,push"));
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<Void> own = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repo + "/manifests/sha-1"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + token)
        .header("Accept", "application/vnd.oci.image.manifest.v1+json").build(), HttpResponse.BodyHandlers.discarding());
    assertEquals(200, own.statusCode());
    HttpResponse<Void> other = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repo() + "/manifests/sha-1"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding());
    assertEquals(401, other.statusCode());
  }

  @Test
  void crossRepositoryMountAsksForBothScopes() throws Exception {
    RegistryClient a = new RegistryClient(host(), repo(), credentials(PASSWORD), RegistryClientTest.INSECURE, Reporter.SILENT);
    String d = a.putBlob(("mount me " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
    RegistryClient b = new RegistryClient(host(), repo(), credentials(PASSWORD), RegistryClientTest.INSECURE, Reporter.SILENT);
    assertFalse(b.hasBlob(d));
    tokens.requests.clear();
    assertTrue(b.mountBlob(d, a.repository()));
    assertTrue(b.hasBlob(d));
    // the token that mounted covers the target (pull,push) and the source (pull), in one token request
    assertTrue(tokens.requests.stream().anyMatch(t -> t.granted()
            && t.scopes().contains("repository:" + b.repository() + ":pull,push")
            && t.scopes().contains("repository:" + a.repository() + ":pull")),
        tokens.requests.toString());
  }

  @Test
  void anAccessTokenOnlyAnswerIsUsedToo() throws Exception {
    tokens.accessTokenOnly = true;
    RegistryClient client = new RegistryClient(host(), repo(), credentials(PASSWORD), RegistryClientTest.INSECURE, Reporter.SILENT);
    String d = client.putBlob("oauth2-style token answer".getBytes(StandardCharsets.UTF_8));
    assertTrue(client.hasBlob(d));
    assertTrue(tokens.requests.stream().allMatch(TokenRequest::granted) && !tokens.requests.isEmpty(), tokens.requests.toString());
  }

  @Test
  void anIdentityTokenIsExchangedAsAnOAuth2RefreshToken(@TempDir Path dir) throws Exception {
    // as `docker login` leaves it for registries that hand out identity tokens (ACR, Harbor with OIDC)
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"auths\":{\"" + host() + "\":{\"auth\":\"\",\"identitytoken\":\"" + REFRESH_TOKEN + "\"}}}");
    String repo = repo();
    RegistryClient client = new RegistryClient(host(), repo, new DockerConfigCredentials(config, java.util.Map.of()), RegistryClientTest.INSECURE, Reporter.SILENT);
    String d = client.putBlob("pushed with an identity token".getBytes(StandardCharsets.UTF_8));
    assertTrue(client.hasBlob(d));
    assertFalse(tokens.requests.isEmpty());
    for (TokenRequest t : tokens.requests) {
      assertEquals("POST", t.method(), t.toString());
      assertEquals(SERVICE, t.service(), t.toString());
      assertTrue(t.granted(), t.toString());
    }
    assertEquals(List.of("repository:" + repo + ":pull,push"), tokens.requests.get(0).scopes());

    String stale = "rt-stale-" + UUID.randomUUID();
    RegistryClient rejected = new RegistryClient(host(), repo(), h -> Optional.of(new Credential(Credential.IDENTITY_TOKEN_USER, stale)), RegistryClientTest.INSECURE, Reporter.SILENT);
    RegistryException e = assertThrows(RegistryException.class, () -> rejected.hasBlob(d));
    assertEquals(401, e.status(), e.getMessage());
    assertFalse(e.getMessage().contains(stale) || e.suggestion().contains(stale), "no secret in the message: " + e.getMessage());
  }

  @Test
  void wrongOrMissingCredentialsAreA401WithoutTheSecret() {
    String wrongPassword = "wrong-" + UUID.randomUUID();
    RegistryClient wrong = new RegistryClient(host(), repo(), credentials(wrongPassword), RegistryClientTest.INSECURE, Reporter.SILENT);
    RegistryException bad = assertThrows(RegistryException.class, () -> wrong.hasBlob(Digests.sha256(new byte[0])));
    assertEquals(401, bad.status(), bad.getMessage());
    assertFalse(bad.getMessage().contains(wrongPassword), "no secret in the message: " + bad.getMessage());
    assertFalse(bad.suggestion().contains(wrongPassword), "no secret in the suggestion: " + bad.suggestion());
    assertTrue(tokens.requests.stream().anyMatch(t -> USER.equals(t.user()) && !t.granted()), tokens.requests.toString());
    assertTrue(tokens.requests.stream().noneMatch(TokenRequest::granted), tokens.requests.toString());

    RegistryClient anonymous = new RegistryClient(host(), repo(), CredentialProvider.NONE, RegistryClientTest.INSECURE, Reporter.SILENT);
    RegistryException none = assertThrows(RegistryException.class, () -> anonymous.hasBlob(Digests.sha256(new byte[0])));
    assertEquals(401, none.status(), none.getMessage());
    assertTrue(none.suggestion().contains("Provide credentials"), none.suggestion());
  }

  @Test
  void imagePusherPushesAnArchiveThroughTheBearerFlow(@TempDir Path dir) throws Exception {
    ImagePusherFaultTest archives = new ImagePusherFaultTest();
    archives.dir = dir;
    ImagePusherFaultTest.Archive a = archives.archive(21, 512 * 1024);
    String repo = repo();
    String tag = "sha-" + "b".repeat(40);
    RegistryClient client = new RegistryClient(host(), repo, credentials(PASSWORD), RegistryClientTest.INSECURE, Reporter.SILENT);
    List<ImagePusher.Result> results =
        new ImagePusher(Reporter.SILENT, 2).push(a.path(), a.digest(), List.of(tag), List.of(new ImagePusher.Destination(client, Optional.empty(), false)));
    assertEquals(a.digest(), results.get(0).digest());
    assertEquals(a.blobs(), results.get(0).uploadedBlobs());

    RegistryClient reader = new RegistryClient(host(), repo, credentials(PASSWORD), RegistryClientTest.INSECURE, Reporter.SILENT);
    assertEquals(Optional.of(a.digest()), reader.resolve(tag));
    byte[] manifest = reader.getManifest(tag).orElseThrow().bytes();
    assertEquals(a.digest(), Digests.sha256(manifest));
    for (var layer : dev.imagegate.oci.OciManifest.parse(manifest).layers()) {
      assertTrue(reader.hasBlob(layer.digest()));
    }
    assertTrue(tokens.requests.stream().allMatch(t -> t.granted() && t.scopes().contains("repository:" + repo + ":pull,push")), tokens.requests.toString());
  }
}
