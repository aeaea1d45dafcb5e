package dev.imagegate.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.imagegate.HandoverFile;
import dev.imagegate.HandoverRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * One audit record: who pushed which digest of which commit, from which CI run, where it went, what the scan said
 * and which signatures exist. Stored as {@code s3://<bucket>/<prefix>/<sha>.json} and {@code target/imagegate/audit.json}.
 * The schema is documented in {@code src/site/markdown/audit.md} and {@code audit-record.schema.json} (next to this class).
 *
 * <p>The first ten fields are the ones the former CI workflow wrote, under the same names and in the same order; they
 * are always present ({@code null} when the CI environment does not say). Fields are only added within a
 * {@link #SCHEMA_VERSION}; a change of meaning or a removal increments it.
 *
 * @param timestamp when the record was made, UTC ISO-8601 to the second
 * @param repo {@code GITHUB_REPOSITORY} ({@code owner/name}), else the project's git remote {@code origin} (without
 *     credentials; {@code owner/name} for github.com), else null
 * @param sha the full commit sha the image was built from
 * @param digest the image manifest digest ({@code sha256:…}): image.json's, equal to push.json's
 * @param pushedBy who push authenticated as (push.json's {@code pushedBy}): the STS caller ARN for ECR,
 *     {@code basic:<username>} for a settings.xml server, {@code docker-config:<registry>}, {@code anonymous}; several,
 *     comma-separated, when the registries were reached with different credentials; null when push.json does not say
 *     (never the identity running the audit: that is {@code recordedBy})
 * @param workflow {@code GITHUB_WORKFLOW}
 * @param runId {@code GITHUB_RUN_ID}
 * @param runAttempt {@code GITHUB_RUN_ATTEMPT}
 * @param ref {@code GITHUB_REF}
 * @param actor {@code GITHUB_ACTOR}
 * @param schemaVersion this schema's version ({@value #SCHEMA_VERSION})
 * @param pushedByAuth how push authenticated (push.json's per-registry {@code authentication}, distinct, joined with
 *     {@code "; "}), e.g. {@code settings.xml server registry.example.com (basic auth)}
 * @param recordedBy the STS caller ARN of the credentials that wrote this record
 * @param runUrl the CI run's web page when the environment names one
 * @param image the image name (repository part) as built
 * @param tags the tags pushed
 * @param pushedAt when push finished (push.json)
 * @param pushed every registry/repository (per region) that holds the digest
 * @param baseImage the base image and its pinned digest
 * @param scan the scan summary, or null when no scan of this digest exists
 * @param signed true exactly when {@code signatures} is not empty
 * @param signatures the signatures sign.json lists for this digest (never ones that were not made)
 * @param signingKey the key the signatures were made with, or null when unsigned
 * @param pluginVersion the imagegate-maven-plugin version that wrote the record
 * @param s3Uri where the canonical copy of this record is ({@code s3://bucket/key})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "timestamp", "repo", "sha", "digest", "pushed_by", "workflow", "run_id", "run_attempt", "ref", "actor",
  "schemaVersion", "pushed_by_auth", "recorded_by", "run_url", "image", "tags", "pushed_at", "pushed", "base_image", "scan", "signed",
  "signatures", "signing_key", "plugin_version", "s3_uri"
})
public record AuditRecord(
    @JsonInclude(JsonInclude.Include.ALWAYS) String timestamp,
    @JsonInclude(JsonInclude.Include.ALWAYS) String repo,
    @JsonInclude(JsonInclude.Include.ALWAYS) String sha,
    @JsonInclude(JsonInclude.Include.ALWAYS) String digest,
    @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("pushed_by") String pushedBy,
    @JsonInclude(JsonInclude.Include.ALWAYS) String workflow,
    @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("run_id") String runId,
    @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("run_attempt") String runAttempt,
    @JsonInclude(JsonInclude.Include.ALWAYS) String ref,
    @JsonInclude(JsonInclude.Include.ALWAYS) String actor,
    int schemaVersion,
    @JsonProperty("pushed_by_auth") String pushedByAuth,
    @JsonProperty("recorded_by") String recordedBy,
    @JsonProperty("run_url") String runUrl,
    String image,
    List<String> tags,
    @JsonProperty("pushed_at") String pushedAt,
    List<Pushed> pushed,
    @JsonProperty("base_image") BaseImage baseImage,
    @JsonInclude(JsonInclude.Include.ALWAYS) Scan scan,
    boolean signed,
    List<Signature> signatures,
    @JsonProperty("signing_key") SigningKey signingKey,
    @JsonProperty("plugin_version") String pluginVersion,
    @JsonProperty("s3_uri") String s3Uri) implements HandoverRecord {

  public static final int SCHEMA_VERSION = 1;
  public static final HandoverFile FILE = HandoverFile.AUDIT;
  public static final String FILE_NAME = "audit.json";
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public AuditRecord {
    tags = tags == null ? List.of() : List.copyOf(tags);
    pushed = pushed == null ? List.of() : List.copyOf(pushed);
    signatures = signatures == null ? List.of() : List.copyOf(signatures);
    if (signed != !signatures.isEmpty()) {
      throw new IllegalArgumentException("signed must be true exactly when there are signatures");
    }
  }

  /**
   * One registry/repository holding the digest. {@code region} is null for non-ECR registries; {@code pushedBy} and
   * {@code auth} say who push authenticated as there and how (null when push.json does not say).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonPropertyOrder({"region", "registry", "repository", "reference", "tags", "ecr", "pushed_by", "auth"})
  public record Pushed(String region, String registry, String repository, String reference, List<String> tags, boolean ecr,
      @JsonProperty("pushed_by") String pushedBy, String auth) {
    public Pushed {
      tags = tags == null ? List.of() : List.copyOf(tags);
    }
  }

  /** The base image as configured and the digest it was pinned to. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record BaseImage(String reference, String digest) {}

  /**
   * What {@code scan} reported for this digest.
   *
   * @param scannedAt when the scan ran
   * @param passed whether the policy passed
   * @param counts reported findings per severity ({@code critical}, {@code high}, {@code medium}, {@code low},
   *     {@code unknown}: whichever scan.json has)
   * @param blocking findings that fail the policy
   * @param suppressed findings accepted by an ignore rule
   * @param suppressedIds the ids of the suppressed findings
   * @param database the vulnerability database used
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonPropertyOrder({"scanned_at", "passed", "counts", "blocking", "suppressed", "suppressed_ids", "database"})
  public record Scan(
      @JsonProperty("scanned_at") String scannedAt,
      Boolean passed,
      Map<String, Integer> counts,
      Integer blocking,
      Integer suppressed,
      @JsonProperty("suppressed_ids") List<String> suppressedIds,
      Database database) {}

  /**
   * @param updatedAt when the database was last refreshed
   * @param source where it came from
   * @param ageHours hours between {@code updatedAt} and the scan (a stale database is visible here)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonPropertyOrder({"updated_at", "source", "age_hours"})
  public record Database(@JsonProperty("updated_at") String updatedAt, String source, @JsonProperty("age_hours") Long ageHours) {}

  /** One signature (and its attestations) stored next to the image in one registry. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonPropertyOrder({"reference", "signature_tag", "signature_digest", "attestation_tag", "attestation_digest", "predicate_types"})
  public record Signature(
      String reference,
      @JsonProperty("signature_tag") String signatureTag,
      @JsonProperty("signature_digest") String signatureDigest,
      @JsonProperty("attestation_tag") String attestationTag,
      @JsonProperty("attestation_digest") String attestationDigest,
      @JsonProperty("predicate_types") List<String> predicateTypes) {}

  /** The signing key: its reference (KMS ARN/alias or key file), key id and public key fingerprint. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonPropertyOrder({"reference", "key_id", "fingerprint"})
  public record SigningKey(String reference, @JsonProperty("key_id") String keyId, String fingerprint) {}

  /** The record as stored: pretty-printed UTF-8 JSON with a final newline. */
  public byte[] toJson() {
    try {
      byte[] body = JSON.writeValueAsBytes(this);
      byte[] out = java.util.Arrays.copyOf(body, body.length + 1);
      out[body.length] = '\n';
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static AuditRecord parse(byte[] json) throws IOException {
    return JSON.readValue(json, AuditRecord.class);
  }
}
