package dev.imagegate.audit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.Reporter;
import dev.imagegate.aws.AwsAccess;
import dev.imagegate.aws.AwsErrorServer;
import dev.imagegate.aws.AwsSettings;
import dev.imagegate.aws.AwsSystemProperties;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** S3 failures of the audit sink as S3 words them: operation, object, S3's error code and a fix that fits the failure. */
class S3FailureMessageTest {
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String DIGEST = "sha256:" + "a".repeat(64);

  @RegisterExtension
  final AwsSystemProperties aws = AwsSystemProperties.sessionCredentials();

  private static S3AuditSink sink(URI endpoint) throws Exception {
    AwsSettings settings = AwsSettings.defaults().withRegion("us-east-1").withEnvironment(Map.of());
    S3Destination to = new S3Destination("acme-ci-audit", null, Optional.empty(), Optional.of(endpoint), S3Destination.Encryption.SSE_S3,
        Optional.empty(), Optional.empty(), 0, false);
    return new S3AuditSink(AwsAccess.resolve(settings, Reporter.SILENT), to, Reporter.SILENT);
  }

  @Test
  void anExpiredSessionNamesTheObjectTheCodeAndTheFix() throws Exception {
    try (AwsErrorServer server = AwsErrorServer.s3(400, "ExpiredToken", "The provided token has expired."); S3AuditSink sink = sink(server.endpoint())) {
      AuditException e = assertThrows(AuditException.class, () -> sink.write(SHA, "myapp", DIGEST, "{}".getBytes(StandardCharsets.UTF_8)));
      String first = e.getMessage().lines().findFirst().orElseThrow();
      assertTrue(first.contains("Object s3://acme-ci-audit/ci-push-audit/" + SHA + ".json") && first.contains("ExpiredToken"), e.getMessage());
      assertTrue(e.suggestion().contains("expired"), "an expired session is not a wrong bucket: " + e.suggestion());
      AwsErrorServer.assertReadable(e.getMessage(), e.suggestion());
    }
  }

  @Test
  void accessDeniedNamesThePermission() throws Exception {
    try (AwsErrorServer server = AwsErrorServer.s3(403, "AccessDenied", "Access Denied"); S3AuditSink sink = sink(server.endpoint())) {
      AuditException e = assertThrows(AuditException.class, () -> sink.write(SHA, "myapp", DIGEST, "{}".getBytes(StandardCharsets.UTF_8)));
      assertTrue(e.getMessage().contains("PutObject") && e.getMessage().contains("AccessDenied"), e.getMessage());
      assertTrue(e.suggestion().contains("s3:PutObject"), "the permission is the fix: " + e.suggestion());
      AwsErrorServer.assertReadable(e.getMessage(), e.suggestion());
    }
  }

  @Test
  void anUnreachableEndpointSaysSoOnceWithTheEndpointFix() throws Exception {
    try (S3AuditSink sink = sink(URI.create("http://127.0.0.1:9"))) {
      AuditException e = assertThrows(AuditException.class, () -> sink.write(SHA, "myapp", DIGEST, "{}".getBytes(StandardCharsets.UTF_8)));
      assertTrue(e.getMessage().contains("Object s3://acme-ci-audit/") && e.getMessage().contains("unreachable"), e.getMessage());
      assertTrue(e.suggestion().contains("endpoint"), e.suggestion());
      AwsErrorServer.assertReadable(e.getMessage(), e.suggestion());
    }
  }
}
