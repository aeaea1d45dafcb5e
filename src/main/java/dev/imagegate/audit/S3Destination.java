package dev.imagegate.audit;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Where and how the audit record is stored in S3.
 *
 * @param bucket the bucket
 * @param prefix the key prefix (default {@value #DEFAULT_PREFIX})
 * @param region the bucket's region; empty: the AWS default region
 * @param endpoint an S3 endpoint of its own (an emulator, a VPC endpoint); empty: the AWS settings' endpoint or the SDK's
 * @param encryption server-side encryption
 * @param kmsKeyId the KMS key for {@link Encryption#SSE_KMS}; empty: the account's {@code aws/s3} key
 * @param objectLockMode {@code GOVERNANCE} or {@code COMPLIANCE} retention on the record; empty: none
 * @param retentionDays how long the retention lasts, with {@code objectLockMode}
 * @param createBucket create the bucket when it does not exist (with object lock enabled when {@code objectLockMode} is set)
 * @param keyLayout {@link KeyLayout#COMMIT} ({@code <prefix>/<sha>.json}, the default) or
 *     {@link KeyLayout#IMAGE} ({@code <prefix>/<sha>/<image name>.json})
 */
public record S3Destination(
    String bucket,
    String prefix,
    Optional<String> region,
    Optional<URI> endpoint,
    Encryption encryption,
    Optional<String> kmsKeyId,
    Optional<String> objectLockMode,
    int retentionDays,
    boolean createBucket,
    KeyLayout keyLayout) {

  public static final String DEFAULT_PREFIX = "ci-push-audit";

  /**
   * How a record's key is made. The default, {@code COMMIT}, is the one-record-per-commit layout of the CI workflow this
   * plugin replaces ({@code <prefix>/<sha>.json}), so existing readers keep working. One commit of a multi-module
   * reactor pushes one image per module: {@code IMAGE} names the image in the key, so every image of a commit has its own
   * record ({@code aws s3 ls <prefix>/<sha>/} lists them all) and "one commit and one image name, one digest" is what a
   * conflict is checked against.
   */
  public enum KeyLayout {
    /** {@code <prefix>/<sha>/<image name>.json} */
    IMAGE,
    /** {@code <prefix>/<sha>.json} (one image per commit only; the default) */
    COMMIT;

    /** Parses {@code image} or {@code commit} (any case); blank: {@code commit}. */
    public static KeyLayout parse(String value) throws AuditException {
      String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
      return switch (v) {
        case "IMAGE" -> IMAGE;
        case "", "COMMIT" -> COMMIT;
        default -> throw new AuditException("Unknown audit key layout '" + value + "'.",
            "Set keyLayout (imagegate.audit.keyLayout) to image (<prefix>/<sha>/<image name>.json) or commit (<prefix>/<sha>.json).");
      };
    }
  }

  /** The default key layout, {@link KeyLayout#COMMIT}. */
  public S3Destination(String bucket, String prefix, Optional<String> region, Optional<URI> endpoint, Encryption encryption,
      Optional<String> kmsKeyId, Optional<String> objectLockMode, int retentionDays, boolean createBucket) {
    this(bucket, prefix, region, endpoint, encryption, kmsKeyId, objectLockMode, retentionDays, createBucket, KeyLayout.COMMIT);
  }

  /** Server-side encryption of the record. */
  public enum Encryption {
    /** {@code x-amz-server-side-encryption: AES256} */
    SSE_S3,
    /** {@code x-amz-server-side-encryption: aws:kms} (with the key id when given) */
    SSE_KMS,
    /** no header: the bucket's default encryption applies */
    BUCKET_DEFAULT;

    /** Parses {@code SSE-S3}/{@code AES256}, {@code SSE-KMS}/{@code aws:kms}, {@code bucket-default}/{@code none}. */
    public static Encryption parse(String value) throws AuditException {
      String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT).replace('_', '-');
      return switch (v) {
        case "", "SSE-S3", "AES256", "S3" -> SSE_S3;
        case "SSE-KMS", "AWS:KMS", "KMS" -> SSE_KMS;
        case "BUCKET-DEFAULT", "NONE" -> BUCKET_DEFAULT;
        default -> throw new AuditException("Unknown server-side encryption '" + value + "'.",
            "Set encryption (imagegate.audit.encryption) to SSE-S3, SSE-KMS or bucket-default.");
      };
    }
  }

  public S3Destination {
    prefix = prefix == null ? DEFAULT_PREFIX : prefix.trim().replaceAll("^/+|/+$", "");
    keyLayout = keyLayout == null ? KeyLayout.COMMIT : keyLayout;
    if (kmsKeyId.isPresent() && encryption == Encryption.SSE_S3) {
      encryption = Encryption.SSE_KMS;
    }
  }

  /** Checks what can be checked before any network call. */
  public void validate() throws AuditException {
    if (bucket == null || bucket.isBlank()) {
      throw new AuditException("No audit bucket is configured.", "Set bucket (-Dimagegate.audit.bucket=<bucket>), e.g. <bucket>my-org-ci-audit</bucket>.");
    }
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new AuditException("'" + bucket + "' is not a valid S3 bucket name.", "Use the bucket's name only (lower case, no s3:// and no key), e.g. my-org-ci-audit.");
    }
    if (objectLockMode.isPresent()) {
      String m = objectLockMode.get();
      if (!m.equals("GOVERNANCE") && !m.equals("COMPLIANCE")) {
        throw new AuditException("Unknown object lock mode '" + m + "'.", "Set objectLockMode (imagegate.audit.objectLockMode) to GOVERNANCE or COMPLIANCE.");
      }
      if (retentionDays <= 0) {
        throw new AuditException("objectLockMode " + m + " needs a retention period.", "Set retentionDays (imagegate.audit.retentionDays) to the number of days, e.g. 2555 for seven years.");
      }
    }
  }

  /**
   * Checks that the key layout gives every image of one commit its own record: with {@link KeyLayout#COMMIT} a
   * reactor whose modules each record an image would write them all to {@code <prefix>/<sha>.json}, and every module
   * after the first would fail after it pushed and signed.
   *
   * @param modules the reactor's modules that run the audit goal in this build (this one included)
   */
  public void checkLayoutFor(java.util.List<String> modules) throws AuditException {
    if (keyLayout == KeyLayout.COMMIT && modules.size() > 1) {
      throw new AuditException(modules.size() + " modules of this reactor (" + String.join(", ", modules) + ") each record an image of the same commit,"
          + " but keyLayout commit gives a commit one record (" + key("<sha>", null) + "): every module after the first would fail after pushing and signing.",
          "Set keyLayout image (<keyLayout>image</keyLayout> in the plugin configuration, or -Dimagegate.audit.keyLayout=image): one record per image, "
              + key("<sha>", "<image name>") + ".");
    }
  }

  /** {@code <prefix>/<sha>/<image name>.json}, or {@code <prefix>/<sha>.json} with {@link KeyLayout#COMMIT}. */
  public String key(String sha, String imageName) {
    String name = sha + (keyLayout == KeyLayout.COMMIT ? "" : "/" + imageName) + ".json";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  public String uri(String sha, String imageName) {
    return "s3://" + bucket + "/" + key(sha, imageName);
  }
}
