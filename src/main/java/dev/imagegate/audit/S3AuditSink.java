package dev.imagegate.audit;

import dev.imagegate.Reporter;
import dev.imagegate.aws.AwsAccess;
import dev.imagegate.aws.SdkFailure;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Writes an audit record to {@code s3://<bucket>/<prefix>/<sha>/<image name>.json} (or {@code <prefix>/<sha>.json}, see
 * {@link S3Destination.KeyLayout}) and never overwrites one.
 *
 * <ol>
 *   <li>GetObject: a record already there with the same digest is an idempotent success (nothing is written); one with
 *       another digest is a conflict, a loud failure.</li>
 *   <li>Otherwise PutObject with {@code If-None-Match: *}: S3 (and moto 5.2.1) answer {@code 412 PreconditionFailed} when
 *       the key appeared in between, which sends us back to step 1's comparison. The conditional put is what guards a
 *       race between two runs, and it also guards when the credentials may not read the bucket (GetObject 403).</li>
 * </ol>
 * SSE-S3 or SSE-KMS, and object-lock retention ({@code x-amz-object-lock-mode}, {@code x-amz-object-lock-retain-until-date})
 * when configured.
 */
public final class S3AuditSink implements AutoCloseable {
  private static final int MAX_CONFLICT_RETRIES = 3;
  private static final String NL = System.lineSeparator();

  /** What happened in S3. */
  public enum Status {
    WRITTEN,
    ALREADY_RECORDED
  }

  /**
   * @param status written now, or an identical-digest record was already there (and kept)
   * @param uri {@code s3://bucket/key}
   * @param etag the object's ETag
   * @param versionId the object version, when the bucket is versioned
   * @param stored the record's bytes as stored in S3 (for an existing record: its bytes, not ours)
   */
  public record Outcome(Status status, String uri, String etag, String versionId, byte[] stored) {}

  private final S3Client s3;
  private final S3Destination destination;
  private final Reporter reporter;

  public S3AuditSink(AwsAccess aws, S3Destination destination, Reporter reporter) {
    this.destination = destination;
    this.reporter = reporter;
    Region region = destination.region().map(Region::of).orElse(aws.region());
    S3ClientBuilder builder = aws.configure(S3Client.builder(), region)
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .apiCallTimeout(Duration.ofSeconds(60))
            .apiCallAttemptTimeout(Duration.ofSeconds(20))
            .build());
    destination.endpoint().ifPresent(builder::endpointOverride);
    // an endpoint override (emulator, IP address) cannot take virtual-hosted bucket names
    boolean override = destination.endpoint().isPresent() || aws.endpointOverridden("S3");
    builder.forcePathStyle(override);
    this.s3 = builder.build();
  }

  /** Stores {@code json} (the record of {@code digest} of image {@code imageName} for commit {@code sha}) unless its key exists. */
  public Outcome write(String sha, String imageName, String digest, byte[] json) throws AuditException {
    String key = destination.key(sha, imageName);
    String uri = destination.uri(sha, imageName);
    if (destination.createBucket()) {
      ensureBucket();
    }
    for (int attempt = 1; ; attempt++) {
      Existing existing = read(key, uri);
      if (existing != null) {
        return compare(existing, uri, digest, imageName);
      }
      try {
        PutObjectResponse r = s3.putObject(putRequest(key), RequestBody.fromBytes(json));
        return new Outcome(Status.WRITTEN, uri, r.eTag(), r.versionId(), json);
      } catch (S3Exception e) {
        int status = e.statusCode();
        if (status == 412) {
          reporter.info("imagegate:audit " + uri + " appeared while writing (If-None-Match: * refused the put); comparing it.");
          Existing now = read(key, uri);
          if (now == null) {
            throw new AuditException(uri + " exists (the conditional put was refused) but cannot be read to compare digests.",
                "Give the build's role s3:GetObject on " + uri + ", or compare it by hand: aws s3 cp " + uri + " - | grep digest");
          }
          return compare(now, uri, digest, imageName);
        }
        if (status == 409 && attempt < MAX_CONFLICT_RETRIES) {
          // ConditionalRequestConflict: a concurrent conditional write to the same key is in flight
          sleep(attempt);
          continue;
        }
        throw failure("PutObject " + uri, e);
      } catch (SdkException e) {
        throw failure("PutObject " + uri, e);
      }
    }
  }

  /**
   * Checks, without writing anything, that {@link #write} will be able to record {@code digest}: the bucket exists
   * (or will be created) and the record's key is free, or already holds this digest. Read access is not required by
   * {@link #write} (its conditional put guards), so a 403 only says that the key could not be looked at.
   *
   * @return what was checked, for the log
   */
  public String checkWritable(String sha, String imageName, String digest) throws AuditException {
    String key = destination.key(sha, imageName);
    String uri = destination.uri(sha, imageName);
    try {
      ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket(destination.bucket()).key(key));
      AuditRecord old;
      try {
        old = AuditRecord.parse(r.asByteArray());
      } catch (IOException | RuntimeException e) {
        throw new AuditException(uri + " already exists and is not an imagegate audit record: the audit goal would refuse to replace it.",
            "Look at it (aws s3 cp " + uri + " -), or use another prefix (imagegate.audit.prefix).", e);
      }
      if (digest.equals(old.digest())) {
        return uri + " already records " + digest + " (a re-run: audit will keep it)";
      }
      throw new AuditConflictException(uri + " already records digest " + old.digest() + (old.image() == null ? "" : " (image " + old.image() + ")")
          + " for commit " + sha + ", not " + digest + ": the audit goal would refuse to overwrite it after this image was pushed and signed.",
          destination.keyLayout() == S3Destination.KeyLayout.COMMIT && old.image() != null && !old.image().equals(imageName)
              ? "Set keyLayout image (-Dimagegate.audit.keyLayout=image): one record per image of a commit."
              : "One commit must map to one image: find out why this commit produced another digest before pushing it.");
    } catch (NoSuchKeyException e) {
      return "s3://" + destination.bucket() + " exists and " + key + " is free";
    } catch (S3Exception e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      if ("NoSuchBucket".equals(code) || (e.statusCode() == 404 && !"NoSuchKey".equals(code))) {
        if (destination.createBucket()) {
          return "s3://" + destination.bucket() + " does not exist yet; audit will create it (createBucket)";
        }
        throw new AuditException("The audit bucket " + destination.bucket() + " does not exist" + NL
            + "  (GetObject " + uri + ": HTTP " + e.statusCode() + (code == null ? "" : " " + code) + ").",
            "Create it (aws s3api create-bucket --bucket " + destination.bucket() + ")," + NL
                + "       or fix bucket/region (imagegate.audit.bucket, imagegate.audit.region)," + NL
                + "       or let audit create it (imagegate.audit.createBucket=true).");
      }
      if (e.statusCode() == 403) {
        reporter.warn("imagegate:push could not look at " + uri + " (GetObject: access denied); the audit goal's conditional put will still refuse to overwrite it.");
        return "s3://" + destination.bucket() + " answered 403 to GetObject " + key + " (not checked; audit needs only s3:PutObject)";
      }
      throw failure("GetObject " + uri, e);
    } catch (SdkException e) {
      throw failure("GetObject " + uri, e);
    }
  }

  private PutObjectRequest putRequest(String key) {
    PutObjectRequest.Builder put = PutObjectRequest.builder()
        .bucket(destination.bucket())
        .key(key)
        .contentType("application/json")
        .ifNoneMatch("*");
    switch (destination.encryption()) {
      case SSE_S3 -> put.serverSideEncryption(ServerSideEncryption.AES256);
      case SSE_KMS -> {
        put.serverSideEncryption(ServerSideEncryption.AWS_KMS);
        destination.kmsKeyId().ifPresent(put::ssekmsKeyId);
      }
      case BUCKET_DEFAULT -> { }
    }
    destination.objectLockMode().ifPresent(mode -> put
        .objectLockMode(ObjectLockMode.fromValue(mode))
        .objectLockRetainUntilDate(Instant.now().plus(destination.retentionDays(), ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)));
    return put.build();
  }

  private record Existing(byte[] bytes, String etag, String versionId, Instant lastModified) {}

  /** The record at {@code key}, null when there is none (or when it may not be read: the conditional put decides then). */
  private Existing read(String key, String uri) throws AuditException {
    try {
      ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket(destination.bucket()).key(key));
      return new Existing(r.asByteArray(), r.response().eTag(), r.response().versionId(), r.response().lastModified());
    } catch (NoSuchKeyException e) {
      return null;
    } catch (S3Exception e) {
      if (e.statusCode() == 403) {
        // without s3:ListBucket a missing key answers 403; the conditional put still refuses to overwrite
        reporter.debug("GetObject " + uri + " answered 403; relying on the conditional put");
        return null;
      }
      throw failure("GetObject " + uri, e);
    } catch (SdkException e) {
      throw failure("GetObject " + uri, e);
    }
  }

  private Outcome compare(Existing existing, String uri, String digest, String imageName) throws AuditException {
    AuditRecord old;
    try {
      old = AuditRecord.parse(existing.bytes());
    } catch (IOException | RuntimeException e) {
      throw new AuditException(uri + " already exists and is not an imagegate audit record (" + e.getMessage() + "); it was left as it is.",
          "Look at it (aws s3 cp " + uri + " -): a record for this commit must never be replaced. Use another prefix (imagegate.audit.prefix) if the key belongs to something else.", e);
    }
    if (digest.equals(old.digest())) {
      reporter.info("imagegate:audit " + uri + " already records " + digest + " (written " + old.timestamp() + "); kept as it is.");
      return new Outcome(Status.ALREADY_RECORDED, uri, existing.etag(), existing.versionId(), existing.bytes());
    }
    if (destination.keyLayout() == S3Destination.KeyLayout.COMMIT && old.image() != null && !old.image().equals(imageName)) {
      // not a forged push: another image of the same commit (a multi-module reactor) under a one-record-per-commit key
      throw new AuditConflictException(uri + " already records image " + old.image() + " of commit " + old.sha() + " (digest " + old.digest() + ");" + NL
          + "  this build pushed image " + imageName + " (digest " + digest + ") of the same commit," + NL
          + "  and keyLayout commit has one key per commit. The existing record was not changed.",
          "Use one record per image (a multi-module reactor needs it): set keyLayout image (-Dimagegate.audit.keyLayout=image)," + NL
              + "       which keys records as <prefix>/<sha>/<image name>.json.");
    }
    throw new AuditConflictException(
        "AUDIT CONFLICT: " + uri + " already records commit " + old.sha() + " as digest " + old.digest() + NL
            + "  (pushed by " + old.pushedBy() + " at " + old.timestamp() + "); this build pushed digest " + digest + " for the same commit." + NL
            + "  The existing record was not changed.",
        "One commit must map to one image: find out why this commit produced another digest" + NL
            + "       (a non-reproducible build or a forged push) before anything deploys it; the image pushed now carries" + NL
            + "       the same sha- tag only if the registries allowed it.");
  }

  private void ensureBucket() throws AuditException {
    try {
      s3.headBucket(b -> b.bucket(destination.bucket()));
      return;
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw failure("HeadBucket " + destination.bucket(), e);
      }
    } catch (SdkException e) {
      throw failure("HeadBucket " + destination.bucket(), e);
    }
    try {
      CreateBucketRequest.Builder create = CreateBucketRequest.builder().bucket(destination.bucket())
          .objectLockEnabledForBucket(destination.objectLockMode().isPresent());
      String region = s3.serviceClientConfiguration().region().id();
      if (!region.equals("us-east-1")) {
        create.createBucketConfiguration(CreateBucketConfiguration.builder().locationConstraint(BucketLocationConstraint.fromValue(region)).build());
      }
      s3.createBucket(create.build());
      reporter.info("imagegate:audit created bucket " + destination.bucket() + (destination.objectLockMode().isPresent() ? " with object lock" : ""));
    } catch (S3Exception e) {
      if (e.statusCode() != 409) {
        throw failure("CreateBucket " + destination.bucket(), e);
      }
    } catch (SdkException e) {
      throw failure("CreateBucket " + destination.bucket(), e);
    }
  }

  private AuditException failure(String what, SdkException e) {
    String message = SdkFailure.failed("S3 " + what, e);
    String code = e instanceof S3Exception s3e && s3e.awsErrorDetails() != null ? s3e.awsErrorDetails().errorCode() : null;
    String refused;
    if ("NoSuchBucket".equals(code)) {
      refused = "Create the bucket " + destination.bucket() + ", fix imagegate.audit.bucket/region, or set imagegate.audit.createBucket=true.";
    } else if (e instanceof S3Exception s3e && s3e.statusCode() == 403) {
      refused = "Let the role call s3:PutObject and s3:GetObject on the prefix"
          + (destination.encryption() == S3Destination.Encryption.SSE_KMS ? ", and kms:GenerateDataKey on the key." : ".");
    } else {
      refused = "Check the bucket (imagegate.audit.bucket), its region (imagegate.audit.region) and the S3 endpoint.";
    }
    String fix = SdkFailure.fix(e, refused);
    if (fix.equals(SdkFailure.UNREACHABLE_FIX)) {
      fix = "Check imagegate.audit.region, imagegate.audit.endpoint (or AWS_ENDPOINT_URL) and the network.";
    }
    return new AuditException(message, fix, e);
  }

  private static void sleep(int attempt) throws AuditException {
    try {
      Thread.sleep(200L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuditException("Interrupted while writing the audit record.", "Run imagegate:audit again.", e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
