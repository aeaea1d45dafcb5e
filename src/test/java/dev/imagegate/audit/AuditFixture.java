package dev.imagegate.audit;

import dev.imagegate.aws.AwsSettings;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.registry.PushRecord;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Handover files in a temp directory, and moto (the real AWS emulator of scripts/peers) for STS and S3. */
final class AuditFixture {
  static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  static final String DIGEST = "sha256:" + "a".repeat(64);
  static final String FORGED = "sha256:" + "b".repeat(64);
  static final String PUSHER = "arn:aws:sts::123456789012:assumed-role/imagegate-push/imagegate-4242-2";
  static final String ROLE = "arn:aws:iam::123456789012:role/imagegate-audit";
  static final String US = "127.0.0.1:17001";
  static final String EU = "127.0.0.1:17002";
  // a web identity token as GitHub's OIDC provider would issue one (moto's STS does not check its signature)
  static final String JWT =
      "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3Rva2VuLmFjdGlvbnMuZ2l0aHVidXNlcmNvbnRlbnQuY29tIiwiYXVkIjoic3RzLmFtYXpvbmF3cy5jb20iLCJzdWIiOiJyZXBvOmV4YW1wbGUvbXlhcHA6cmVmOnJlZnMvaGVhZHMvbWFpbiJ9.c2lnbmF0dXJl";

  private AuditFixture() {}

  static String moto() {
    String v = System.getenv("IMAGEGATE_MOTO_URL");
    Assumptions.assumeTrue(v != null, "IMAGEGATE_MOTO_URL not set: start scripts/peers and eval its env");
    return v;
  }

  static String bucket() {
    return "audit-" + UUID.randomUUID().toString().substring(0, 12);
  }

  /** AWS settings that exchange a web identity token for the role at moto's STS (as in GitHub Actions). */
  static AwsSettings aws(Path dir) throws IOException {
    Path token = dir.resolve("web-identity.jwt");
    Files.writeString(token, JWT + "\n");
    return AwsSettings.defaults()
        .withEnvironment(Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString()))
        .withRoleArn(ROLE)
        .withRegion("us-east-1")
        .withEndpoint(moto());
  }

  static S3Destination destination(String bucket) {
    return new S3Destination(bucket, null, Optional.empty(), Optional.empty(), S3Destination.Encryption.SSE_S3,
        Optional.empty(), Optional.empty(), 0, true);
  }

  /** A plain client for checking what is really in moto's S3 (moto accepts any static keys). */
  static S3Client s3() {
    return S3Client.builder()
        .endpointOverride(URI.create(moto()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .httpClient(UrlConnectionHttpClient.builder().build())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .build();
  }

  static Path out(Path dir) throws IOException {
    return Files.createDirectories(dir.resolve("target/imagegate"));
  }

  /** image.json and push.json of one digest, pushed to two "regions"; pushedBy as push.json would carry it (or null). */
  static void pushed(Path out, String digest, String pushedBy) throws Exception {
    new ImageDescriptor(1, "myapp", "sha-" + SHA, digest, "application/vnd.oci.image.manifest.v1+json", "sha256:" + "c".repeat(64),
        "image.tar", new ImageDescriptor.BaseImage("127.0.0.1:15000/java-base@sha256:" + "d".repeat(64), "sha256:" + "d".repeat(64)),
        List.of(), "65532", "2026-03-01T12:00:00Z", SHA, false, "0.1.0-SNAPSHOT").write(out);
    new PushRecord(1, digest, "sha-" + SHA, SHA, "2026-03-01T12:05:00Z", pushedBy, List.of(
        new PushRecord.Target(US, "myapp", "us-east-1", true, US + "/myapp@" + digest, List.of("sha-" + SHA), 100, 1),
        new PushRecord.Target(EU, "myapp", "us-west-2", true, EU + "/myapp@" + digest, List.of("sha-" + SHA), 0, 3))).write(out);
  }

  /** sign.json as the sign goal writes it, with signatures in the given references. */
  static void signed(Path out, String digest, String... references) throws IOException {
    StringBuilder sigs = new StringBuilder();
    for (String r : references) {
      if (sigs.length() > 0) {
        sigs.append(',');
      }
      sigs.append("{\"reference\":\"").append(r).append("\",\"signatureTag\":\"sha256-").append(digest.substring(7)).append(".sig\",")
          .append("\"signatureManifestDigest\":\"sha256:").append("e".repeat(64)).append("\",")
          .append("\"attestationTag\":\"sha256-").append(digest.substring(7)).append(".att\",")
          .append("\"attestationManifestDigest\":\"sha256:").append("f".repeat(64)).append("\",")
          .append("\"predicateTypes\":[\"https://cyclonedx.org/bom\"]}");
    }
    Files.writeString(out.resolve("sign.json"), "{\"schemaVersion\":1,\"digest\":\"" + digest + "\",\"key\":{\"reference\":\"awskms:///alias/imagegate\","
        + "\"keyId\":\"arn:aws:kms:us-east-1:123456789012:key/1234\",\"publicKeyPem\":\"-----BEGIN PUBLIC KEY-----\\n...\",\"fingerprint\":\"SHA256:abc\"},"
        + "\"signatures\":[" + sigs + "]}");
  }

  /** scan.json in the schema the scan goal documents. */
  static void scanned(Path out, String digest) throws IOException {
    Files.writeString(out.resolve("scan.json"), "{\"schemaVersion\":1,\"digest\":\"" + digest + "\",\"scannedAt\":\"2026-03-01T12:02:00Z\","
        + "\"database\":{\"updatedAt\":\"2026-02-28T12:02:00Z\",\"source\":\"https://osv-vulnerabilities.storage.googleapis.com\"},"
        + "\"summary\":{\"critical\":0,\"high\":0,\"medium\":3,\"low\":1,\"unknown\":2,\"blocking\":0,\"suppressed\":2,\"unfixedHidden\":1,\"passed\":true},"
        + "\"findings\":[],\"suppressed\":[{\"id\":\"CVE-2021-44228\",\"reason\":\"JNDI disabled\",\"expires\":\"2099-12-31\"},"
        + "{\"id\":\"CVE-2022-1471\",\"reason\":\"not reachable\"}]}");
  }
}
