package dev.imagegate.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.imagegate.HandoverException;
import dev.imagegate.WarningsReporter;
import dev.imagegate.aws.AwsSettings;
import dev.imagegate.registry.PushRecord;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** The audit goal's work against moto's real STS (AssumeRoleWithWebIdentity, GetCallerIdentity) and S3. */
class AuditRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private final WarningsReporter reporter = new WarningsReporter();
  private final List<String> warnings = reporter.warnings();

  @org.junit.jupiter.api.BeforeEach
  void needsMoto() {
    AuditFixture.moto();
  }

  private AuditRun.Outcome run(S3Destination destination, Map<String, String> env, Instant now) throws Exception {
    return AuditRun.execute(new AuditRun.Request(AuditFixture.out(dir), dir, AuditFixture.aws(dir), destination, env, "0.1.0-TEST",
        "mvn imagegate:audit -Dimagegate.audit.bucket=" + destination.bucket(), now), reporter);
  }

  private static final Map<String, String> GITHUB = Map.of(
      "GITHUB_REPOSITORY", "example/myapp", "GITHUB_WORKFLOW", "deploy", "GITHUB_RUN_ID", "4242", "GITHUB_RUN_ATTEMPT", "2",
      "GITHUB_REF", "refs/heads/main", "GITHUB_ACTOR", "octocat", "GITHUB_SERVER_URL", "https://github.com");

  @Test
  void recordLandsWithTheAssumedRoleArnAsRecordedBy() throws Exception {
    Path out = AuditFixture.out(dir);
    AuditFixture.pushed(out, AuditFixture.DIGEST, AuditFixture.PUSHER);
    AuditFixture.signed(out, AuditFixture.DIGEST, AuditFixture.US + "/myapp@" + AuditFixture.DIGEST, AuditFixture.EU + "/myapp@" + AuditFixture.DIGEST);
    AuditFixture.scanned(out, AuditFixture.DIGEST);
    String bucket = AuditFixture.bucket();
    AuditRun.Outcome o = run(AuditFixture.destination(bucket), GITHUB, Instant.parse("2026-03-01T12:10:00.123Z"));

    assertEquals(S3AuditSink.Status.WRITTEN, o.status());
    String key = "ci-push-audit/" + AuditFixture.SHA + ".json";
    assertEquals("s3://" + bucket + "/" + key, o.uri());
    try (S3Client s3 = AuditFixture.s3()) {
      ResponseBytes<GetObjectResponse> obj = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
      assertArrayEquals(Files.readAllBytes(out.resolve("audit.json")), obj.asByteArray(), "audit.json is a copy of the S3 record");
      assertEquals(ServerSideEncryption.AES256, obj.response().serverSideEncryption());
      assertEquals("application/json", obj.response().contentType());
      JsonNode r = JSON.readTree(obj.asByteArray());
      // the workflow's fields, by name and in order
      List<String> names = new ArrayList<>();
      r.fieldNames().forEachRemaining(names::add);
      assertEquals(List.of("timestamp", "repo", "sha", "digest", "pushed_by", "workflow", "run_id", "run_attempt", "ref", "actor"), names.subList(0, 10));
      assertEquals("2026-03-01T12:10:00Z", r.get("timestamp").asText());
      assertEquals("example/myapp", r.get("repo").asText());
      assertEquals(AuditFixture.SHA, r.get("sha").asText());
      assertEquals(AuditFixture.DIGEST, r.get("digest").asText());
      assertEquals(AuditFixture.PUSHER, r.get("pushed_by").asText());
      assertTrue(r.get("recorded_by").asText().matches("arn:aws:sts::123456789012:assumed-role/imagegate-audit/.+"), r.get("recorded_by").asText());
      assertEquals("deploy", r.get("workflow").asText());
      assertEquals("4242", r.get("run_id").asText());
      assertEquals("2", r.get("run_attempt").asText());
      assertEquals("refs/heads/main", r.get("ref").asText());
      assertEquals("octocat", r.get("actor").asText());
      assertEquals("https://github.com/example/myapp/actions/runs/4242", r.get("run_url").asText());
      assertEquals(1, r.get("schemaVersion").asInt());
      assertEquals(2, r.get("pushed").size());
      assertEquals("us-west-2", r.get("pushed").get(1).get("region").asText());
      assertEquals(AuditFixture.EU + "/myapp@" + AuditFixture.DIGEST, r.get("pushed").get(1).get("reference").asText());
      assertEquals("sha-" + AuditFixture.SHA, r.get("tags").get(0).asText());
      assertEquals("sha256:" + "d".repeat(64), r.get("base_image").get("digest").asText());
      assertTrue(r.get("signed").asBoolean());
      assertEquals(2, r.get("signatures").size());
      assertEquals("sha256:" + "e".repeat(64), r.get("signatures").get(0).get("signature_digest").asText());
      assertEquals("sha256:" + "f".repeat(64), r.get("signatures").get(0).get("attestation_digest").asText());
      assertEquals("arn:aws:kms:us-east-1:123456789012:key/1234", r.get("signing_key").get("key_id").asText());
      JsonNode scan = r.get("scan");
      assertEquals(3, scan.get("counts").get("medium").asInt());
      assertEquals(0, scan.get("counts").get("critical").asInt());
      assertEquals(2, scan.get("suppressed").asInt());
      assertEquals("[\"CVE-2021-44228\",\"CVE-2022-1471\"]", scan.get("suppressed_ids").toString());
      assertEquals(24, scan.get("database").get("age_hours").asInt());
      assertEquals("0.1.0-TEST", r.get("plugin_version").asText());
      assertEquals(o.uri(), r.get("s3_uri").asText());
      assertSchemaValid(r);
    }
  }

  @Test
  void pushedByIsTheIdentityThatPushedWhenPushJsonNamesIt() throws Exception {
    Path out = AuditFixture.out(dir);
    String pusher = "arn:aws:sts::123456789012:assumed-role/imagegate-push/imagegate-4242-2";
    AuditFixture.pushed(out, AuditFixture.DIGEST, pusher);
    AuditRun.Outcome o = run(AuditFixture.destination(AuditFixture.bucket()), GITHUB, Instant.now());
    assertEquals(pusher, o.record().pushedBy());
    assertTrue(o.record().recordedBy().contains("assumed-role/imagegate-audit/"), o.record().recordedBy());
  }

  @Test
  void sameDigestAgainSucceedsWithoutRewriting() throws Exception {
    Path out = AuditFixture.out(dir);
    AuditFixture.pushed(out, AuditFixture.DIGEST, null);
    String bucket = AuditFixture.bucket();
    try (S3Client s3 = AuditFixture.s3()) {
      s3.createBucket(b -> b.bucket(bucket));
      s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
      Instant first = Instant.parse("2026-03-01T12:10:00Z");
      AuditRun.Outcome o1 = run(AuditFixture.destination(bucket), GITHUB, first);
      String key = "ci-push-audit/" + AuditFixture.SHA + ".json";
      HeadObjectResponse h1 = s3.headObject(b -> b.bucket(bucket).key(key));

      // a rerun of the workflow, an hour later: a rewrite would change the timestamp, so the ETag too
      Thread.sleep(1100);
      AuditRun.Outcome o2 = run(AuditFixture.destination(bucket), Map.of(), first.plus(Duration.ofHours(1)));
      HeadObjectResponse h2 = s3.headObject(b -> b.bucket(bucket).key(key));

      assertEquals(S3AuditSink.Status.WRITTEN, o1.status());
      assertEquals(S3AuditSink.Status.ALREADY_RECORDED, o2.status());
      assertEquals(h1.eTag(), h2.eTag());
      assertEquals(h1.lastModified(), h2.lastModified());
      assertEquals(h1.versionId(), h2.versionId());
      assertEquals(1, s3.listObjectVersions(b -> b.bucket(bucket).prefix(key)).versions().size(), "exactly one version: nothing was rewritten");
      assertEquals("2026-03-01T12:10:00Z", o2.record().timestamp(), "the record kept is the first one");
      assertEquals("deploy", o2.record().workflow());
      assertArrayEquals(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(), Files.readAllBytes(out.resolve("audit.json")));
    }
  }

  @Test
  void forgedDigestForTheSameShaFailsLoudly() throws Exception {
    Path out = AuditFixture.out(dir);
    AuditFixture.pushed(out, AuditFixture.DIGEST, null);
    String bucket = AuditFixture.bucket();
    run(AuditFixture.destination(bucket), GITHUB, Instant.now());
    String key = "ci-push-audit/" + AuditFixture.SHA + ".json";
    try (S3Client s3 = AuditFixture.s3()) {
      HeadObjectResponse before = s3.headObject(b -> b.bucket(bucket).key(key));
      byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();

      AuditFixture.pushed(out, AuditFixture.FORGED, null);
      AuditConflictException e = assertThrows(AuditConflictException.class, () -> run(AuditFixture.destination(bucket), GITHUB, Instant.now()));
      assertTrue(e.getMessage().startsWith("AUDIT CONFLICT: s3://" + bucket + "/" + key), e.getMessage());
      assertTrue(e.getMessage().contains(AuditFixture.DIGEST) && e.getMessage().contains(AuditFixture.FORGED), e.getMessage());
      assertTrue(e.getMessage().contains("pushed: " + AuditFixture.US + "/myapp@" + AuditFixture.FORGED), e.getMessage());
      assertFalse(Files.exists(out.resolve("audit.json")), "no local copy claims the forged digest is recorded");
      HeadObjectResponse after = s3.headObject(b -> b.bucket(bucket).key(key));
      assertEquals(before.eTag(), after.eTag());
      assertArrayEquals(bytes, s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
    }
  }

  /** Two modules of one reactor: one commit, two images, two digests: each has its own record, neither is touched. */
  @Test
  void twoImagesOfOneCommitEachGetTheirOwnRecord() throws Exception {
    Path out = AuditFixture.out(dir);
    String bucket = AuditFixture.bucket();
    S3Destination perImage = new S3Destination(bucket, null, Optional.empty(), Optional.empty(), S3Destination.Encryption.SSE_S3,
        Optional.empty(), Optional.empty(), 0, true, S3Destination.KeyLayout.IMAGE);
    AuditFixture.pushed(out, AuditFixture.DIGEST, null);
    AuditRun.Outcome a = run(perImage, GITHUB, Instant.now());
    AuditFixture.pushed(out, AuditFixture.FORGED, null);
    Files.writeString(out.resolve("image.json"), Files.readString(out.resolve("image.json")).replace("\"myapp\"", "\"myapp-worker\""));
    AuditRun.Outcome b = run(perImage, GITHUB, Instant.now());
    assertEquals(S3AuditSink.Status.WRITTEN, a.status());
    assertEquals(S3AuditSink.Status.WRITTEN, b.status());
    assertEquals("s3://" + bucket + "/ci-push-audit/" + AuditFixture.SHA + "/myapp.json", a.uri());
    assertEquals("s3://" + bucket + "/ci-push-audit/" + AuditFixture.SHA + "/myapp-worker.json", b.uri());
    try (S3Client s3 = AuditFixture.s3()) {
      JsonNode ra = JSON.readTree(s3.getObjectAsBytes(r -> r.bucket(bucket).key("ci-push-audit/" + AuditFixture.SHA + "/myapp.json")).asByteArray());
      JsonNode rb = JSON.readTree(s3.getObjectAsBytes(r -> r.bucket(bucket).key("ci-push-audit/" + AuditFixture.SHA + "/myapp-worker.json")).asByteArray());
      assertEquals(AuditFixture.DIGEST, ra.get("digest").asText());
      assertEquals("myapp", ra.get("image").asText());
      assertEquals(AuditFixture.FORGED, rb.get("digest").asText());
      assertEquals("myapp-worker", rb.get("image").asText());
      assertEquals(a.uri(), ra.get("s3_uri").asText());
      assertEquals(b.uri(), rb.get("s3_uri").asText());
      assertSchemaValid(rb);
    }
    // one record per commit cannot hold two images: the second one fails, says why, and leaves the first alone
    String single = AuditFixture.bucket();
    S3Destination perCommit = new S3Destination(single, null, Optional.empty(), Optional.empty(), S3Destination.Encryption.SSE_S3,
        Optional.empty(), Optional.empty(), 0, true, S3Destination.KeyLayout.COMMIT);
    assertEquals("s3://" + single + "/ci-push-audit/" + AuditFixture.SHA + ".json", run(perCommit, GITHUB, Instant.now()).uri());
    AuditFixture.pushed(out, AuditFixture.DIGEST, null);
    AuditConflictException e = assertThrows(AuditConflictException.class, () -> run(perCommit, GITHUB, Instant.now()));
    assertFalse(e.getMessage().contains("AUDIT CONFLICT"), "another image of the commit is not a forged digest: " + e.getMessage());
    assertTrue(e.getMessage().contains("already records image myapp-worker of commit " + AuditFixture.SHA), e.getMessage());
    assertTrue(e.suggestion().contains("imagegate.audit.keyLayout=image"), e.suggestion());
    try (S3Client s3 = AuditFixture.s3()) {
      assertEquals(AuditFixture.FORGED, JSON.readTree(s3.getObjectAsBytes(r -> r.bucket(single).key("ci-push-audit/" + AuditFixture.SHA + ".json")).asByteArray()).get("digest").asText());
    }
  }

  @Test
  void unreachableS3FailsWithWhatWasNotRecordedAndTheRecoveryCommand() throws Exception {
    Path out = AuditFixture.out(dir);
    AuditFixture.pushed(out, AuditFixture.DIGEST, null);
    AuditFixture.signed(out, AuditFixture.DIGEST, AuditFixture.US + "/myapp@" + AuditFixture.DIGEST);
    Files.writeString(out.resolve("audit.json"), "{\"stale\":true}");
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    S3Destination unreachable = new S3Destination("audit-unreachable", null, Optional.empty(), Optional.of(URI.create("http://127.0.0.1:" + closed)),
        S3Destination.Encryption.SSE_S3, Optional.empty(), Optional.empty(), 0, false);
    long t0 = System.nanoTime();
    AuditException e = assertThrows(AuditException.class, () -> run(unreachable, GITHUB, Instant.now()));
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(60).toNanos());
    assertTrue(e.getMessage().contains("The audit record was NOT written"), e.getMessage());
    assertTrue(e.getMessage().contains(".json failed: unreachable"), e.getMessage());
    assertTrue(e.getMessage().contains("NOT recorded in s3://audit-unreachable/ci-push-audit/" + AuditFixture.SHA + ".json"), e.getMessage());
    assertTrue(e.getMessage().contains("pushed: " + AuditFixture.US + "/myapp@" + AuditFixture.DIGEST + ", " + AuditFixture.EU + "/myapp@" + AuditFixture.DIGEST), e.getMessage());
    assertTrue(e.getMessage().contains("signed: " + AuditFixture.US + "/myapp@" + AuditFixture.DIGEST), e.getMessage());
    assertTrue(e.suggestion().endsWith(System.lineSeparator() + "    mvn imagegate:audit -Dimagegate.audit.bucket=audit-unreachable" + System.lineSeparator()), e.suggestion());
    assertFalse(Files.exists(out.resolve("audit.json")), "a stale audit.json must not look like this run's record");
  }

  @Test
  void missingBucketFailsWithTheRecoveryCommand() throws Exception {
    Path out = AuditFixture.out(dir);
    AuditFixture.pushed(out, AuditFixture.DIGEST, null);
    S3Destination missing = new S3Destination(AuditFixture.bucket(), "audit/prod", Optional.empty(), Optional.empty(), S3Destination.Encryption.SSE_S3,
        Optional.empty(), Optional.empty(), 0, false);
    AuditException e = assertThrows(AuditException.class, () -> run(missing, GITHUB, Instant.now()));
    assertTrue(e.getMessage().contains("failed: NoSuchBucket (HTTP 404)"), e.getMessage());
    assertTrue(e.suggestion().startsWith("Create the bucket " + missing.bucket()), e.suggestion());
    assertTrue(e.getMessage().contains("s3://" + missing.bucket() + "/audit/prod/" + AuditFixture.SHA + ".json"), e.getMessage());
    assertTrue(e.suggestion().contains("mvn imagegate:audit"), e.suggestion());
  }

  @Test
  void neverClaimsSignaturesThatAreNotOfThisDigestOrNotPushed() throws Exception {
    Path out = AuditFixture.out(dir);
    AuditFixture.pushed(out, AuditFixture.DIGEST, null);
    String bucket = AuditFixture.bucket();
    // no sign.json at all
    AuditRun.Outcome o = run(AuditFixture.destination(bucket), GITHUB, Instant.now());
    assertFalse(o.record().signed());
    assertEquals(List.of(), o.record().signatures());
    assertNull(o.record().signingKey());
    assertNull(o.record().scan(), "no scan.json: no scan summary");
    JsonNode stored = JSON.readTree(Files.readAllBytes(out.resolve("audit.json")));
    assertEquals("[]", stored.get("signatures").toString());
    assertTrue(stored.get("scan").isNull());
    assertFalse(stored.get("signed").asBoolean());
    assertSchemaValid(stored);

    // sign.json of another digest, or scan.json of another digest: refused, naming both digests and the goal to re-run
    Path out2 = Files.createDirectories(dir.resolve("other/target/imagegate"));
    AuditFixture.pushed(out2, AuditFixture.DIGEST, null);
    AuditFixture.signed(out2, AuditFixture.FORGED, AuditFixture.US + "/myapp@" + AuditFixture.FORGED);
    HandoverException stale = assertThrows(HandoverException.class, () -> Handover.read(out2, reporter));
    assertTrue(stale.getMessage().contains("sign.json is about image " + AuditFixture.FORGED + ", but this build's image is " + AuditFixture.DIGEST), stale.getMessage());
    assertTrue(stale.suggestion().contains("imagegate:sign"), stale.suggestion());
    Files.delete(out2.resolve("sign.json"));
    AuditFixture.scanned(out2, AuditFixture.FORGED);
    stale = assertThrows(HandoverException.class, () -> Handover.read(out2, reporter));
    assertTrue(stale.getMessage().contains("scan.json is about image " + AuditFixture.FORGED), stale.getMessage());
    assertTrue(stale.suggestion().contains("imagegate:scan"), stale.suggestion());
    Files.delete(out2.resolve("scan.json"));

    // a signature in a registry that push.json does not list is not recorded; the pushed one is
    AuditFixture.signed(out2, AuditFixture.DIGEST, "127.0.0.1:9/elsewhere@" + AuditFixture.DIGEST, AuditFixture.EU + "/myapp@" + AuditFixture.DIGEST);
    AuditRecord r = Handover.read(out2, reporter).toRecord(Instant.now(), CiEnvironment.from(Map.of(), null), "arn:x", "v", "s3://b/k.json");
    assertTrue(r.signed());
    assertEquals(1, r.signatures().size());
    assertEquals(AuditFixture.EU + "/myapp@" + AuditFixture.DIGEST, r.signatures().get(0).reference());
  }

  @Test
  void imageAndPushOfDifferentDigestsAreRefusedBeforeAnyAwsCall() throws Exception {
    Path out = AuditFixture.out(dir);
    AuditFixture.pushed(out, AuditFixture.DIGEST, null);
    String image = Files.readString(out.resolve("image.json")).replace(AuditFixture.DIGEST, AuditFixture.FORGED);
    Files.writeString(out.resolve("image.json"), image);
    HandoverException e = assertThrows(HandoverException.class, () -> Handover.read(out, reporter));
    assertTrue(e.getMessage().contains("push.json is about image " + AuditFixture.DIGEST + ", but this build's image is " + AuditFixture.FORGED), e.getMessage());
    assertTrue(e.suggestion().contains("imagegate:push"), e.suggestion());
  }

  @Test
  void pushedByIsWhoPushAuthenticatedAsNeverTheAuditIdentity() throws Exception {
    Path out = AuditFixture.out(dir);
    AuditFixture.pushed(out, AuditFixture.DIGEST, null);
    PushRecord p = PushRecord.readAny(out);
    List<PushRecord.Target> basic = new ArrayList<>();
    for (PushRecord.Target t : p.targets()) {
      basic.add(new PushRecord.Target(t.registry(), t.repository(), null, false, null, "settings", "corp-registry", t.reference(), t.tags(),
          t.uploadedBytes(), t.reusedBlobs(), "basic:alice", "settings.xml server corp-registry (basic auth)"));
    }
    new PushRecord(1, p.digest(), p.tag(), p.commit(), p.pushedAt(), "basic:alice", basic).write(out);
    AuditRecord r = Handover.read(out, reporter).toRecord(Instant.now(), CiEnvironment.from(Map.of(), null), "arn:aws:sts::1:assumed-role/audit/x", "v", "s3://b/k.json");
    assertEquals("basic:alice", r.pushedBy());
    assertEquals("settings.xml server corp-registry (basic auth)", r.pushedByAuth());
    assertEquals("arn:aws:sts::1:assumed-role/audit/x", r.recordedBy());
    assertEquals("basic:alice", r.pushed().get(0).pushedBy());
    assertSchemaValid(JSON.readTree(r.toJson()));

    // a push.json that does not say who pushed: pushed_by stays empty, and the record says why
    AuditFixture.pushed(out, AuditFixture.DIGEST, null);
    r = Handover.read(out, reporter).toRecord(Instant.now(), CiEnvironment.from(Map.of(), null), "arn:aws:sts::1:assumed-role/audit/x", "v", "s3://b/k.json");
    assertNull(r.pushedBy());
    assertTrue(r.pushedByAuth().startsWith("unknown"), r.pushedByAuth());
  }

  @Test
  void kmsEncryptionAndObjectLockRetention() throws Exception {
    Path out = AuditFixture.out(dir);
    AuditFixture.pushed(out, AuditFixture.DIGEST, null);
    String bucket = AuditFixture.bucket();
    S3Destination locked = new S3Destination(bucket, "ci-push-audit", Optional.of("us-east-1"), Optional.empty(), S3Destination.Encryption.SSE_S3,
        Optional.of("alias/ci-audit"), Optional.of("COMPLIANCE"), 30, true);
    assertEquals(S3Destination.Encryption.SSE_KMS, locked.encryption(), "a KMS key selects SSE-KMS");
    run(locked, GITHUB, Instant.now());
    try (S3Client s3 = AuditFixture.s3()) {
      HeadObjectResponse h = s3.headObject(b -> b.bucket(bucket).key("ci-push-audit/" + AuditFixture.SHA + ".json"));
      assertEquals(ServerSideEncryption.AWS_KMS, h.serverSideEncryption());
      assertEquals("alias/ci-audit", h.ssekmsKeyId());
      assertEquals("COMPLIANCE", h.objectLockModeAsString());
      Duration left = Duration.between(Instant.now(), h.objectLockRetainUntilDate());
      assertTrue(left.toDays() >= 29 && left.toDays() <= 30, left.toString());
      assertEquals("Enabled", s3.getObjectLockConfiguration(b -> b.bucket(bucket)).objectLockConfiguration().objectLockEnabledAsString());
    }
  }

  @Test
  void preflightFindsAMissingBucketATakenKeyAndACommitLayoutInAReactorWithoutWriting() throws Exception {
    AwsSettings aws = AuditFixture.aws(dir);
    List<String> one = List.of("myapp");
    S3Destination missing = new S3Destination(AuditFixture.bucket(), null, Optional.empty(), Optional.empty(), S3Destination.Encryption.SSE_S3,
        Optional.empty(), Optional.empty(), 0, false);
    AuditException noBucket = assertThrows(AuditException.class,
        () -> AuditRun.preflight(missing, aws, AuditFixture.SHA, "myapp", AuditFixture.DIGEST, one, reporter));
    assertTrue(noBucket.getMessage().startsWith("The audit bucket " + missing.bucket() + " does not exist"), noBucket.getMessage());
    assertTrue(noBucket.suggestion().contains("imagegate.audit.createBucket=true"), noBucket.suggestion());
    S3Destination created = AuditFixture.destination(missing.bucket());
    assertTrue(AuditRun.preflight(created, aws, AuditFixture.SHA, "myapp", AuditFixture.DIGEST, one, reporter).contains("audit will create it"));

    // the key free, then taken by this digest (a re-run), then by another digest (a conflict audit would refuse)
    Path out = AuditFixture.out(dir);
    AuditFixture.pushed(out, AuditFixture.DIGEST, AuditFixture.PUSHER);
    String bucket = AuditFixture.bucket();
    try (S3Client s3 = AuditFixture.s3()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    S3Destination dest = AuditFixture.destination(bucket);
    assertTrue(AuditRun.preflight(dest, aws, AuditFixture.SHA, "myapp", AuditFixture.DIGEST, one, reporter).endsWith(" is free"));
    run(dest, GITHUB, Instant.now());
    assertTrue(AuditRun.preflight(dest, aws, AuditFixture.SHA, "myapp", AuditFixture.DIGEST, one, reporter).contains("already records " + AuditFixture.DIGEST));
    AuditConflictException taken = assertThrows(AuditConflictException.class,
        () -> AuditRun.preflight(dest, aws, AuditFixture.SHA, "myapp", AuditFixture.FORGED, one, reporter));
    assertTrue(taken.getMessage().contains("already records digest " + AuditFixture.DIGEST), taken.getMessage());

    // two modules of a reactor recording under one key per commit: refused before any AWS call
    AuditException layout = assertThrows(AuditException.class,
        () -> AuditRun.preflight(dest, AwsSettings.defaults().withEndpoint("http://127.0.0.1:1"), AuditFixture.SHA, "service-a", AuditFixture.DIGEST,
            List.of("service-a", "service-b"), reporter));
    assertTrue(layout.getMessage().startsWith("2 modules of this reactor (service-a, service-b) each record an image of the same commit"), layout.getMessage());
    assertTrue(layout.suggestion().contains("-Dimagegate.audit.keyLayout=image"), layout.suggestion());
  }

  /** What moto 5.2.1 really does with If-None-Match: * (the sink relies on it, as on real S3). */
  @Test
  void motoRefusesAConditionalPutOverAnExistingKey() {
    String bucket = AuditFixture.bucket();
    try (S3Client s3 = AuditFixture.s3()) {
      s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(b -> b.bucket(bucket).key("k").ifNoneMatch("*"), RequestBody.fromString("one"));
      S3Exception e = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket).key("k").ifNoneMatch("*"), RequestBody.fromString("two")));
      assertEquals(412, e.statusCode());
      assertEquals("PreconditionFailed", e.awsErrorDetails().errorCode());
      assertEquals("one", s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String());
    }
  }

  @Test
  void invalidDestinationsAreRefusedUpFront() throws Exception {
    S3Destination noBucket = new S3Destination(" ", null, Optional.empty(), Optional.empty(), S3Destination.Encryption.SSE_S3, Optional.empty(), Optional.empty(), 0, false);
    assertThrows(AuditException.class, noBucket::validate);
    S3Destination url = new S3Destination("s3://bucket/x", null, Optional.empty(), Optional.empty(), S3Destination.Encryption.SSE_S3, Optional.empty(), Optional.empty(), 0, false);
    assertThrows(AuditException.class, url::validate);
    S3Destination lockNoDays = new S3Destination("bucket", null, Optional.empty(), Optional.empty(), S3Destination.Encryption.SSE_S3, Optional.empty(), Optional.of("COMPLIANCE"), 0, false);
    AuditException e = assertThrows(AuditException.class, lockNoDays::validate);
    assertTrue(e.suggestion().contains("imagegate.audit.retentionDays"));
    assertEquals("x/y/" + AuditFixture.SHA + ".json", new S3Destination("bucket", "/x/y/", Optional.empty(), Optional.empty(), S3Destination.Encryption.SSE_S3,
        Optional.empty(), Optional.empty(), 0, false).key(AuditFixture.SHA, "myapp"));
    assertEquals("x/y/" + AuditFixture.SHA + "/myapp.json", new S3Destination("bucket", "/x/y/", Optional.empty(), Optional.empty(), S3Destination.Encryption.SSE_S3,
        Optional.empty(), Optional.empty(), 0, false, S3Destination.KeyLayout.IMAGE).key(AuditFixture.SHA, "myapp"));
    assertEquals(S3Destination.KeyLayout.COMMIT, S3Destination.KeyLayout.parse(null));
    assertEquals(S3Destination.KeyLayout.COMMIT, S3Destination.KeyLayout.parse(" Commit "));
    assertThrows(AuditException.class, () -> S3Destination.KeyLayout.parse("per-module"));
  }

  static void assertSchemaValid(JsonNode record) throws Exception {
    try (InputStream in = AuditRecord.class.getResourceAsStream("audit-record.schema.json")) {
      assertNotNull(in);
      JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
      Set<ValidationMessage> errors = schema.validate(record);
      assertTrue(errors.isEmpty(), errors.toString());
    }
  }
}
