package dev.imagegate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.registry.PushRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the earlier goals handed over in {@code target/imagegate/}, checked for one identity: {@code image.json} and
 * {@code push.json} (required, same digest and commit), {@code sign.json} and {@code scan.json} (optional, used only
 * when they are about the same digest). Turns it into an {@link AuditRecord} that claims nothing that did not happen.
 */
public final class Handover {
  public static final String SIGN_FILE = "sign.json";
  public static final String SCAN_FILE = "scan.json";
  private static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low", "unknown");

  private final ImageDescriptor image;
  private final PushRecord push;
  private final List<AuditRecord.Signature> signatures;
  private final AuditRecord.SigningKey signingKey;
  private final AuditRecord.Scan scan;

  private Handover(ImageDescriptor image, PushRecord push, List<AuditRecord.Signature> signatures, AuditRecord.SigningKey signingKey, AuditRecord.Scan scan) {
    this.image = image;
    this.push = push;
    this.signatures = List.copyOf(signatures);
    this.signingKey = signingKey;
    this.scan = scan;
  }

  /** Reads and cross-checks the handover files; warns about (and ignores) sign/scan results of another digest. */
  public static Handover read(Path outputDirectory, Reporter reporter) throws ImagegateException {
    ImageDescriptor image = ImageDescriptor.read(outputDirectory);
    PushRecord push = PushRecord.read(outputDirectory);
    if (!image.digest().equals(push.digest())) {
      throw new AuditException(
          "push.json names " + push.digest() + " but image.json names " + image.digest() + ": the image pushed is not the image built, so there is nothing consistent to record.",
          "Run build, scan, push and sign again in one build (mvn deploy) so that one digest goes through every goal.");
    }
    if (push.commit() != null && image.commit() != null && !push.commit().equals(image.commit())) {
      throw new AuditException(
          "push.json names commit " + push.commit() + " but image.json names " + image.commit() + ".",
          "Run build and push again in one build (mvn deploy).");
    }
    if (image.commit() == null || !image.commit().matches("[0-9a-f]{40}")) {
      throw new AuditException("image.json has no full commit sha ('" + image.commit() + "'): the record's S3 key is the commit sha.",
          "Rebuild the image from a git checkout (mvn package).");
    }
    if (push.targets().isEmpty()) {
      throw new AuditException("push.json lists no registry: nothing was pushed, so there is nothing to record.", "Run imagegate:push first (mvn deploy).");
    }
    Set<String> pushedRefs = new LinkedHashSet<>();
    push.targets().forEach(t -> pushedRefs.add(t.reference()));

    List<AuditRecord.Signature> signatures = new ArrayList<>();
    AuditRecord.SigningKey key = null;
    Path signFile = outputDirectory.resolve(SIGN_FILE);
    if (Files.isRegularFile(signFile)) {
      JsonNode sign = readJson(signFile);
      String signedDigest = sign.path("digest").asText("");
      if (!signedDigest.equals(image.digest())) {
        reporter.warn("sign.json is about " + (signedDigest.isEmpty() ? "no digest" : signedDigest) + ", not " + image.digest() + ": the record lists no signatures.");
      } else {
        for (JsonNode s : sign.path("signatures")) {
          String reference = text(s, "reference");
          String sigDigest = text(s, "signatureManifestDigest");
          if (reference == null || !reference.endsWith("@" + image.digest()) || sigDigest == null) {
            reporter.warn("sign.json lists a signature for '" + reference + "' that is not of " + image.digest() + " or has no signature digest: not recorded.");
            continue;
          }
          if (!pushedRefs.contains(reference)) {
            reporter.warn("sign.json lists a signature in " + reference + ", which push.json does not list as pushed: not recorded.");
            continue;
          }
          List<String> types = new ArrayList<>();
          s.path("predicateTypes").forEach(t -> types.add(t.asText()));
          signatures.add(new AuditRecord.Signature(reference, text(s, "signatureTag"), sigDigest, text(s, "attestationTag"),
              text(s, "attestationManifestDigest"), types.isEmpty() ? null : types));
        }
        if (!signatures.isEmpty()) {
          JsonNode k = sign.path("key");
          key = new AuditRecord.SigningKey(text(k, "reference"), text(k, "keyId"), text(k, "fingerprint"));
        }
      }
    }

    AuditRecord.Scan scan = null;
    Path scanFile = outputDirectory.resolve(SCAN_FILE);
    if (Files.isRegularFile(scanFile)) {
      JsonNode s = readJson(scanFile);
      String scanned = s.path("digest").asText("");
      if (!scanned.equals(image.digest())) {
        reporter.warn("scan.json is about " + (scanned.isEmpty() ? "no digest" : scanned) + ", not " + image.digest() + ": the record has no scan summary.");
      } else {
        scan = scanSummary(s);
      }
    }
    return new Handover(image, push, signatures, key, scan);
  }

  static AuditRecord.Scan scanSummary(JsonNode s) {
    JsonNode summary = s.path("summary");
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String severity : SEVERITIES) {
      JsonNode n = summary.path(severity);
      if (n.canConvertToInt() && n.isNumber()) {
        counts.put(severity, n.asInt());
      }
    }
    List<String> ids = new ArrayList<>();
    for (JsonNode sup : s.path("suppressed")) {
      String id = text(sup, "id");
      if (id != null && !ids.contains(id)) {
        ids.add(id);
      }
    }
    String scannedAt = text(s, "scannedAt");
    JsonNode db = s.path("database");
    String updatedAt = text(db, "updatedAt");
    AuditRecord.Database database = db.isObject()
        ? new AuditRecord.Database(updatedAt, text(db, "source"), hoursBetween(updatedAt, scannedAt))
        : null;
    return new AuditRecord.Scan(
        scannedAt,
        summary.path("passed").isBoolean() ? summary.path("passed").asBoolean() : null,
        counts.isEmpty() ? null : counts,
        summary.path("blocking").isNumber() ? summary.path("blocking").asInt() : null,
        summary.path("suppressed").isNumber() ? summary.path("suppressed").asInt() : (s.path("suppressed").isArray() ? s.path("suppressed").size() : null),
        ids,
        database);
  }

  private static Long hoursBetween(String from, String to) {
    if (from == null || to == null) {
      return null;
    }
    try {
      return Math.max(0, Duration.between(Instant.parse(from), Instant.parse(to)).toHours());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * The record for this handover.
   *
   * @param callerArn the STS identity of the credentials running the audit (pushed_by when push.json has none)
   */
  public AuditRecord toRecord(Instant now, CiEnvironment ci, String callerArn, String pluginVersion, String s3Uri) {
    String pushedBy = push.pushedBy() != null && !push.pushedBy().isBlank() ? push.pushedBy() : callerArn;
    List<AuditRecord.Pushed> pushed = new ArrayList<>();
    for (PushRecord.Target t : push.targets()) {
      pushed.add(new AuditRecord.Pushed(t.region(), t.registry(), t.repository(), t.reference(), t.tags(), t.ecr()));
    }
    Set<String> tags = new LinkedHashSet<>();
    if (push.tag() != null) {
      tags.add(push.tag());
    }
    push.targets().forEach(t -> tags.addAll(t.tags()));
    AuditRecord.BaseImage base = image.base() == null ? null : new AuditRecord.BaseImage(image.base().reference(), image.base().digest());
    return new AuditRecord(
        now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), ci.repo(), image.commit(), image.digest(), pushedBy,
        ci.workflow(), ci.runId(), ci.runAttempt(), ci.ref(), ci.actor(),
        AuditRecord.SCHEMA_VERSION, callerArn, ci.runUrl(), image.name(), List.copyOf(tags), push.pushedAt(), pushed, base, scan,
        !signatures.isEmpty(), signatures, signingKey, pluginVersion, s3Uri);
  }

  public String digest() {
    return image.digest();
  }

  /** The image name of image.json (e.g. {@code myapp}), part of the record's S3 key. */
  public String imageName() {
    return image.name();
  }

  public String sha() {
    return image.commit();
  }

  /** For failure messages: every reference pushed, and every signature made, that the audit log does not yet know. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    b.append("  pushed: ");
    b.append(String.join(", ", push.targets().stream().map(PushRecord.Target::reference).toList()));
    b.append(System.lineSeparator()).append("  signed: ");
    b.append(signatures.isEmpty() ? "no signature recorded in sign.json for this digest"
        : String.join(", ", signatures.stream().map(s -> s.reference() + " (" + s.signatureTag() + ")").toList()));
    return b.toString();
  }

  private static JsonNode readJson(Path file) throws AuditException {
    try {
      return AuditRecord.JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new AuditException("Cannot read " + file + ": " + e.getMessage(), "Run the goal that writes it again (mvn deploy).", e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode n = node.path(field);
    return n.isValueNode() && !n.isNull() && !n.asText().isEmpty() ? n.asText() : null;
  }
}
