package dev.imagegate.registry;

import static dev.imagegate.registry.RegistryTransport.describe;
import static dev.imagegate.registry.RegistryTransport.enc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegate.registry.transport.TransferTimeoutException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The authentication of a {@link RegistryClient} (Jib's {@code RegistryAuthenticator}): probes {@code GET /v2/} once,
 * answers the registry's challenge with Basic auth (ECR's tokens arrive as Basic credentials) or a Bearer token
 * ({@code realm}/{@code service}, scope {@code repository:<repo>:pull,push}; a user name and password go to the token
 * service as Basic auth, an identity token as an OAuth2 refresh token in a POST), and re-authenticates when a 401 asks
 * for another scope or the token expired. Thread-safe: the state is guarded by this object.
 */
final class RegistryAuthenticator {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryTransport transport;
  private final CredentialProvider credentials;
  private final String registry;

  // guarded by this
  private URI base;
  private boolean probed;
  private AuthChallenge challenge;
  private String authorization;
  private final Set<String> scopes = new LinkedHashSet<>();

  RegistryAuthenticator(RegistryTransport transport, CredentialProvider credentials) {
    this.transport = transport;
    this.credentials = credentials;
    this.registry = transport.registry();
    scopes.add("repository:" + transport.repository() + ":pull,push");
  }

  /** The base URI the probe chose ({@code https://host/} or, when allowed, {@code http://host/}). */
  synchronized URI base() throws RegistryException {
    if (base == null) {
      ensureAuthenticated();
    }
    return base;
  }

  /** Asks for another scope with the next token (a cross-repository mount pulls from another repository). */
  synchronized void addScope(String scope) {
    scopes.add(scope);
  }

  /** Probes {@code GET /v2/} once: chooses the scheme and the auth method. */
  synchronized void ensureAuthenticated() throws RegistryException {
    if (probed) {
      return;
    }
    HttpResponse<byte[]> probe = transport.probe();
    base = probe.uri().resolve("/");
    if (probe.statusCode() == 401) {
      challenge = AuthChallenge.parse(probe.headers().firstValue("WWW-Authenticate").orElse(null)).orElseThrow(() -> new RegistryException(
          registry + " requires authentication but sent no challenge it understands: " + probe.headers().firstValue("WWW-Authenticate").orElse("(none)"),
          "Use a registry that speaks Basic or Bearer token auth."));
      authenticate(challenge);
    } else if (probe.statusCode() != 200) {
      throw transport.failure("GET /v2/", probe.statusCode(), probe.body());
    }
    probed = true;
  }

  /** Sets the Authorization header of a request, when the registry asked for one. */
  synchronized HttpRequest.Builder authorize(HttpRequest.Builder b) {
    if (authorization != null) {
      b.setHeader("Authorization", authorization);
    }
    return b;
  }

  /** Answers a 401: the new challenge (with the scopes it asks for), or the known one again (an expired token). */
  synchronized void reauthenticate(String wwwAuthenticate) throws RegistryException {
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
    if (credential.isPresent() && base != null && "http".equals(base.getScheme()) && !transport.options().allowInsecure()) {
      throw transport.insecureRefused();
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
    if ("http".equals(tokenUri.getScheme()) && credential.isPresent() && !transport.options().allowInsecure()) {
      throw transport.insecureRefused();
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
      b = transport.request(URI.create(realm)).header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form.toString()));
    } else {
      b = transport.request(tokenUri).GET();
      credential.ifPresent(cred -> b.header("Authorization", basic(cred)));
    }
    try {
      HttpResponse<byte[]> r = transport.exchange(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new RegistryException(
            "The token service " + tokenUri.getHost() + " of " + registry + " refused a token for " + scopes + " (HTTP " + r.statusCode() + ").",
            credential.isPresent() ? "Check the credentials for " + registry + " and their permissions on " + transport.repository() + "." : "Provide credentials for " + registry + " (settings.xml server or docker login).",
            r.statusCode(), null);
      }
      JsonNode json = JSON.readTree(r.body());
      String token = json.path("token").asText(json.path("access_token").asText(""));
      if (token.isEmpty()) {
        throw new RegistryException("The token service of " + registry + " answered without a token.", "Check the registry's token auth configuration.");
      }
      authorization = "Bearer " + token;
    } catch (TransferTimeoutException e) {
      throw transport.timedOut("GET token from " + tokenUri.getHost(), e);
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
}
