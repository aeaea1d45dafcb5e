package dev.imagegate.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegate.NetworkTimeouts;
import dev.imagegate.registry.transport.TimedExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * GitHub Actions' OIDC token endpoint: {@code GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=<audience>} with
 * {@code Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN} answers {@code {"value": "<JWT>"}}. The workflow needs
 * {@code permissions: id-token: write}. Neither the request token nor the JWT is ever logged or put in a message.
 *
 * <pre>{@code
 * String jwt = new GithubOidcClient(env.get("ACTIONS_ID_TOKEN_REQUEST_URL"), env.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN"))
 *     .fetchToken("sts.amazonaws.com");
 * }</pre>
 */
public final class GithubOidcClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An OIDC token request failed (or a web identity token could not be read); the message holds no secret. */
  public static final class OidcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OidcException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final String requestUrl;
  private final String requestToken;

  /**
   * @param requestUrl {@code ACTIONS_ID_TOKEN_REQUEST_URL}
   * @param requestToken {@code ACTIONS_ID_TOKEN_REQUEST_TOKEN}
   */
  public GithubOidcClient(String requestUrl, String requestToken) {
    this.requestUrl = requestUrl;
    this.requestToken = requestToken;
  }

  /** Asks for a fresh token for {@code audience}; each call is one request (tokens are short-lived). */
  public String fetchToken(String audience) {
    String url = requestUrl + (requestUrl.contains("?") ? "&" : "?") + "audience=" + URLEncoder.encode(audience, StandardCharsets.UTF_8);
    URI uri;
    try {
      uri = URI.create(url);
      if (uri.getHost() == null || uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
        throw new IllegalArgumentException("not an http(s) URL with a host");
      }
    } catch (IllegalArgumentException e) {
      // the request URL is not secret (the request token is); say which variable is malformed, not a bare URI error
      throw new OidcException("ACTIONS_ID_TOKEN_REQUEST_URL is not a valid URL (" + e.getMessage() + ")", e);
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + requestToken)
            .header("Accept", "application/json")
            .GET()
            .build();
    try {
      // under the same stall timeout and whole-exchange deadline as the registry client: a token endpoint that
      // answers headers and then trickles cannot hold the build
      HttpResponse<byte[]> r = TimedExchange.send(
          HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), request, HttpResponse.BodyHandlers.ofByteArray(), NetworkTimeouts.DEFAULTS);
      if (r.statusCode() != 200) {
        throw new OidcException("the OIDC token request to " + uri.getHost() + " answered HTTP " + r.statusCode(), null);
      }
      JsonNode json = JSON.readTree(r.body());
      String value = json.path("value").asText("");
      if (value.isEmpty()) {
        throw new OidcException("the OIDC token response has no 'value'", null);
      }
      return value;
    } catch (IOException e) {
      throw new OidcException("the OIDC token request failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OidcException("interrupted while fetching the OIDC token", e);
    }
  }

  /** Never prints the request token. */
  @Override
  public String toString() {
    return "GithubOidcClient[" + requestUrl + "]";
  }
}
