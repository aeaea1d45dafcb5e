package dev.imagegate.audit;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.registry.PushRecord;
import dev.imagegate.scan.report.ScanReport;
import dev.imagegate.sign.SignRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the earlier goals handed over in the output directory, checked for one identity: {@code image.json} and
 * {@code push.json} (required, same digest and commit), {@code sign.json} and {@code scan.json} (optional; when
 * present they must be about the same digest, else the audit is refused). Turns it into an {@link AuditRecord} that claims nothing that did not happen.
 */
public final class Handover {

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

  /**
   * Reads and cross-checks the handover files: push.json, and sign.json and scan.json when present, must be about
   * image.json's digest (a file of another image is refused, naming both digests).
   */
  public static Handover read(Path outputDirectory, Reporter reporter) throws ImagegateException {
    ImageDescriptor image = ImageDescriptor.read(outputDirectory);
    PushRecord push = PushRecord.read(outputDirectory, image.digest());
    if (push.commit() != null && image.commit() != null && !push.commit().equals(image.commit())) {
      throw new AuditException(
          "push.json names commit " + push.commit() + " but image.json names " + image.commit() + ".",
          "Run build and push again in one build (mvn deploy).");
    }
    if (image.commit() == null || !image.commit().matches("[0-9a-f]{40}")) {
      throw new AuditException("image.json has no full commit sha ('" + image.commit() + "'): the record's S3 key is the commit sha.",
          "Rebuild the image from a git checkout (mvn package).");
    }
    Set<String> pushedRefs = new LinkedHashSet<>();
    push.targets().forEach(t -> pushedRefs.add(t.reference()));

    List<AuditRecord.Signature> signatures = new ArrayList<>();
    AuditRecord.SigningKey key = null;
    Optional<SignRecord> sign = SignRecord.readIfPresent(outputDirectory, image.digest());
    if (sign.isPresent()) {
      for (SignRecord.Signature s : sign.get().signatures()) {
        String reference = s.reference();
        if (reference == null || !reference.endsWith("@" + image.digest()) || blank(s.signatureManifestDigest())) {
          reporter.warn("sign.json lists a signature for '" + reference + "' that is not of " + image.digest() + " or has no signature digest: not recorded.");
          continue;
        }
        if (!pushedRefs.contains(reference)) {
          reporter.warn("sign.json lists a signature in " + reference + ", which push.json does not list as pushed: not recorded.");
          continue;
        }
        signatures.add(new AuditRecord.Signature(reference, s.signatureTag(), s.signatureManifestDigest(), s.attestationTag(),
            s.attestationManifestDigest(), s.predicateTypes().isEmpty() ? null : s.predicateTypes()));
      }
      SignRecord.Key k = sign.get().key();
      if (!signatures.isEmpty() && k != null) {
        key = new AuditRecord.SigningKey(k.reference(), k.keyId(), k.fingerprint());
      }
    }
    AuditRecord.Scan scan = ScanReport.readIfPresent(outputDirectory, image.digest()).map(Handover::scanSummary).orElse(null);
    return new Handover(image, push, signatures, key, scan);
  }

  static AuditRecord.Scan scanSummary(ScanReport s) {
    ScanReport.Summary summary = s.summary();
    Map<String, Integer> counts = null;
    if (summary != null) {
      counts = new LinkedHashMap<>();
      counts.put("critical", summary.critical());
      counts.put("high", summary.high());
      counts.put("medium", summary.medium());
      counts.put("low", summary.low());
      counts.put("unknown", summary.unknown());
    }
    List<String> ids = new ArrayList<>();
    for (ScanReport.SuppressedEntry sup : s.suppressed() == null ? List.<ScanReport.SuppressedEntry>of() : s.suppressed()) {
      if (!blank(sup.id()) && !ids.contains(sup.id())) {
        ids.add(sup.id());
      }
    }
    ScanReport.Database db = s.database();
    AuditRecord.Database database = db == null ? null : new AuditRecord.Database(db.updatedAt(), db.source(), hoursBetween(db.updatedAt(), s.scannedAt()));
    return new AuditRecord.Scan(
        s.scannedAt(),
        summary == null ? null : summary.passed(),
        counts,
        summary == null ? null : summary.blocking(),
        summary != null ? Integer.valueOf(summary.suppressed()) : (s.suppressed() == null ? null : s.suppressed().size()),
        ids,
        database);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
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
   * @param callerArn the STS identity of the credentials running the audit ({@code recorded_by}; never {@code pushed_by})
   */
  public AuditRecord toRecord(Instant now, CiEnvironment ci, String callerArn, String pluginVersion, String s3Uri) {
    String pushedBy = blank(push.pushedBy()) ? null : push.pushedBy();
    List<AuditRecord.Pushed> pushed = new ArrayList<>();
    Set<String> how = new LinkedHashSet<>();
    for (PushRecord.Target t : push.targets()) {
      pushed.add(new AuditRecord.Pushed(t.region(), t.registry(), t.repository(), t.reference(), t.tags(), t.ecr(), t.pushedBy(), t.authentication()));
      if (!blank(t.authentication())) {
        how.add(t.authentication());
      }
    }
    String pushedByAuth = how.isEmpty() ? "unknown: push.json does not say how push authenticated (written by an older imagegate)" : String.join("; ", how);
    Set<String> tags = new LinkedHashSet<>();
    if (push.tag() != null) {
      tags.add(push.tag());
    }
    push.targets().forEach(t -> tags.addAll(t.tags()));
    AuditRecord.BaseImage base = image.base() == null ? null : new AuditRecord.BaseImage(image.base().reference(), image.base().digest());
    return new AuditRecord(
        now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), ci.repo(), image.commit(), image.digest(), pushedBy,
        ci.workflow(), ci.runId(), ci.runAttempt(), ci.ref(), ci.actor(),
        AuditRecord.SCHEMA_VERSION, pushedByAuth, callerArn, ci.runUrl(), image.name(), List.copyOf(tags), push.pushedAt(), pushed, base, scan,
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
}
