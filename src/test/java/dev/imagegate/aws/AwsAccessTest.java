package dev.imagegate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.imagegate.Reporter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The OIDC path against a loopback OIDC token endpoint (a JDK HttpServer standing in for GitHub's, which has no
 * local peer) and moto's real STS; static keys refused. Needs the peers' env ({@code IMAGEGATE_MOTO_URL}).
 */
class AwsAccessTest {

  @AfterEach
  void clearProperties() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    System.clearProperty("aws.sessionToken");
  }

  static String moto() {
    String v = System.getenv("IMAGEGATE_MOTO_URL");
    Assumptions.assumeTrue(v != null, "IMAGEGATE_MOTO_URL not set: start scripts/peers and eval its env");
    return v;
  }

  @Test
  void refusesLongLivedKeys() {
    System.setProperty("aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE");
    System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    AwsSettings settings = AwsSettings.defaults().withRegion("us-east-1").withEnvironment(Map.of());
    AwsException e = assertThrows(AwsException.class, () -> AwsAccess.resolve(settings, Reporter.SILENT));
    assertTrue(e.getMessage().contains("AKIA"), e.getMessage());
    assertFalse(e.getMessage().contains("AKIAIOSFODNN7EXAMPLE"), "the key id is not logged");
    assertFalse(e.getMessage().contains("wJalr"), "the secret is not logged");
    assertTrue(e.suggestion().contains("allowStaticCredentials"));
    AwsErrorServer.assertReadable(e.getMessage(), e.suggestion());
  }

  @Test
  void acceptsStaticKeysOnlyWhenAllowed() throws Exception {
    System.setProperty("aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE");
    System.setProperty("aws.secretAccessKey", "secret");
    List<String> warnings = new CopyOnWriteArrayList<>();
    Reporter r = new Reporter() {
      @Override
      public void info(String message) {}

      @Override
      public void warn(String message) {
        warnings.add(message);
      }
    };
    AwsAccess aws = AwsAccess.resolve(AwsSettings.defaults().withRegion("us-east-1").withEnvironment(Map.of()).withAllowStaticCredentials(true), r);
    assertEquals("AKIAIOSFODNN7EXAMPLE", aws.credentialsProvider().resolveCredentials().accessKeyId());
    assertEquals(1, warnings.size());
  }

  @Test
  void sessionCredentialsPass() throws Exception {
    System.setProperty("aws.accessKeyId", "ASIAIOSFODNN7EXAMPLE");
    System.setProperty("aws.secretAccessKey", "secret");
    System.setProperty("aws.sessionToken", "token");
    AwsAccess aws = AwsAccess.resolve(AwsSettings.defaults().withRegion("us-west-2").withEnvironment(Map.of()), Reporter.SILENT);
    assertEquals("us-west-2", aws.region().id());
  }

  @Test
  void githubOidcTokenIsExchangedWithSts() throws Exception {
    String moto = moto();
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer oidc = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    oidc.createContext("/token", ex -> {
      seen.add(ex.getRequestURI().getQuery() + " " + ex.getRequestHeaders().getFirst("Authorization"));
      byte[] body;
      int status;
      if ("Bearer request-token-123".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        body = "{\"value\":\"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmV4YW1wbGUvbXlhcHA6cmVmOnJlZnMvaGVhZHMvbWFpbiIsImF1ZCI6InN0cy5hbWF6b25hd3MuY29tIn0.c2ln\"}".getBytes(StandardCharsets.UTF_8);
        status = 200;
      } else {
        body = "{}".getBytes(StandardCharsets.UTF_8);
        status = 403;
      }
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    oidc.start();
    try {
      String url = "http://127.0.0.1:" + oidc.getAddress().getPort() + "/token?api-version=2.0";
      Map<String, String> env = Map.of("ACTIONS_ID_TOKEN_REQUEST_URL", url, "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "request-token-123", "GITHUB_RUN_ID", "42");
      AwsSettings settings =
          AwsSettings.defaults().withEnvironment(env).withRegion("us-east-1").withEndpoint(moto).withRoleArn("arn:aws:iam::123456789012:role/imagegate-push");
      AwsAccess aws = AwsAccess.resolve(settings, Reporter.SILENT);
      assertTrue(aws.credentialsProvider().resolveCredentials() instanceof AwsSessionCredentials);
      assertEquals(1, seen.size());
      assertTrue(seen.get(0).contains("audience=sts.amazonaws.com"), seen.get(0));
      assertTrue(seen.get(0).contains("api-version=2.0"), seen.get(0));
      String arn = aws.callerArn();
      assertTrue(arn.contains("assumed-role/imagegate-push/imagegate-42-1"), arn);

      // the next goal of the same build (same settings) reuses the session: no second OIDC fetch, same identity
      AwsAccess again = AwsAccess.resolve(settings, Reporter.SILENT);
      assertSame(aws, again);
      assertEquals(1, seen.size(), "one OIDC token request per build, not per goal");
      // other settings (another session name) make their own exchange
      AwsAccess other = AwsAccess.resolve(settings.withSessionName("release-7"), Reporter.SILENT);
      assertNotSame(aws, other);
      assertEquals(2, seen.size());
      assertTrue(other.callerArn().contains("assumed-role/imagegate-push/release-7"), other.callerArn());
      // another build in the same JVM (a Maven daemon: another session cache) makes its own exchange, and this build's
      // cache holds only its own two sessions
      AwsSessionCache otherBuild = new AwsSessionCache();
      AwsAccess elsewhere = AwsAccess.resolve(settings.withSessions(otherBuild), Reporter.SILENT);
      assertNotSame(aws, elsewhere);
      assertEquals(3, seen.size());
      assertEquals(2, settings.sessions().size());
      assertEquals(1, otherBuild.size());

      AwsSettings wrongToken = settings.withEnvironment(Map.of("ACTIONS_ID_TOKEN_REQUEST_URL", url, "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "nope"));
      AwsException e = assertThrows(AwsException.class, () -> AwsAccess.resolve(wrongToken, Reporter.SILENT));
      assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
      assertFalse(e.getMessage().contains("nope"));
    } finally {
      oidc.stop(0);
    }
  }

  @Test
  void aMalformedOidcRequestUrlIsNamedNotThrownRaw() {
    // what a workflow gets when ACTIONS_ID_TOKEN_REQUEST_URL holds an unexpanded expression: a clear AwsException
    Map<String, String> env = Map.of("ACTIONS_ID_TOKEN_REQUEST_URL", "${env.OIDC_URL}", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "request-token");
    AwsSettings settings = AwsSettings.defaults().withEnvironment(env).withRegion("us-east-1")
        .withEndpoint("http://127.0.0.1:9").withRoleArn("arn:aws:iam::123456789012:role/imagegate-push");
    AwsException e = assertThrows(AwsException.class, () -> AwsAccess.resolve(settings, Reporter.SILENT));
    assertTrue(e.getMessage().contains("ACTIONS_ID_TOKEN_REQUEST_URL is not a valid URL"), e.getMessage());
    assertFalse(e.getMessage().contains("request-token"), "the request token is not logged");
  }
}
