package dev.imagegate.audit;

import dev.imagegate.HandoverException;
import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.AwsAccess;
import dev.imagegate.aws.AwsSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * The {@code audit} goal's work: read the handover files, ask STS who we are, assemble the record, store it in S3
 * (never overwriting), and copy what S3 holds to {@code target/imagegate/audit.json}.
 *
 * <p>On any failure after the files were read, the exception says what was pushed and signed but is not recorded, and
 * how to complete it later from the same files ({@link Request#recoveryCommand()}). {@code audit.json} exists only
 * when S3 holds the record.
 */
public final class AuditRun {

  /**
   * @param outputDirectory target/imagegate
   * @param projectDirectory where to find the git remote when {@code GITHUB_REPOSITORY} is not set (may be null)
   * @param aws how to get AWS credentials (the same settings as push and sign)
   * @param destination the bucket and how to write there
   * @param environment the CI environment ({@code GITHUB_*})
   * @param pluginVersion recorded as {@code plugin_version}
   * @param recoveryCommand the command that completes the record later, e.g. {@code mvn imagegate:audit -D…}
   * @param now the record's timestamp
   */
  public record Request(
      Path outputDirectory,
      Path projectDirectory,
      AwsSettings aws,
      S3Destination destination,
      Map<String, String> environment,
      String pluginVersion,
      String recoveryCommand,
      Instant now) {}

  /** What was done: the S3 status and location, and the record S3 now holds. */
  public record Outcome(S3AuditSink.Status status, String uri, String etag, AuditRecord record, Path auditJson) {}

  private AuditRun() {}

  public static Outcome execute(Request request, Reporter reporter) throws ImagegateException {
    S3Destination destination = request.destination();
    destination.validate();
    Path out = request.outputDirectory();
    Path auditJson = AuditRecord.FILE.in(out);
    // a copy left by an earlier run must not look like this run's record
    AuditRecord.FILE.delete(out);
    Handover handover = Handover.read(out, reporter);
    if (destination.keyLayout() == S3Destination.KeyLayout.IMAGE
        && (handover.imageName() == null || !handover.imageName().matches("[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*"))) {
      throw new AuditException("image.json names no valid image name ('" + handover.imageName() + "'): the record's S3 key is <prefix>/<sha>/<image name>.json.",
          "Rebuild the image (mvn package) so that image.json is complete.");
    }
    String uri = destination.uri(handover.sha(), handover.imageName());
    S3AuditSink.Outcome stored;
    AuditRecord record;
    try {
      AwsAccess aws = AwsAccess.resolve(request.aws(), reporter);
      String caller = aws.callerArn();
      record = handover.toRecord(request.now(), CiEnvironment.from(request.environment(), request.projectDirectory()), caller,
          request.pluginVersion(), uri);
      try (S3AuditSink sink = new S3AuditSink(aws, destination, reporter)) {
        stored = sink.write(handover.sha(), handover.imageName(), handover.digest(), record.toJson());
      }
    } catch (AuditConflictException e) {
      throw new AuditConflictException(
          e.getMessage() + System.lineSeparator() + "What this build did, which the audit log does NOT record:" + System.lineSeparator() + handover.describe(),
          e.suggestion());
    } catch (ImagegateException e) {
      throw notRecorded(handover, uri, e, request.recoveryCommand());
    }
    if (stored.status() == S3AuditSink.Status.ALREADY_RECORDED) {
      try {
        record = AuditRecord.parse(stored.stored());
      } catch (IOException e) {
        throw new AuditException("Cannot parse the record in " + uri + ": " + e.getMessage(), "Look at it: aws s3 cp " + uri + " -", e);
      }
    }
    try {
      AuditRecord.FILE.write(out, stored.stored());
    } catch (HandoverException e) {
      throw new AuditException("The record is in " + uri + ", but the local copy " + auditJson + " could not be written: " + e.getMessage(),
          "Check the permissions of " + out + "; the S3 record is complete (aws s3 cp " + uri + " " + auditJson + ").", e);
    }
    return new Outcome(stored.status(), uri, stored.etag(), record, auditJson);
  }

  /**
   * Checks, before anything is pushed, that {@link #execute} will be able to record the image {@code digest} of
   * commit {@code sha}: the destination is valid and fit for the reactor ({@link S3Destination#checkLayoutFor}), AWS
   * credentials resolve, the bucket exists and the record's key is free ({@link S3AuditSink#checkWritable}).
   *
   * @param modules the reactor's modules that record an image in this build (this one included)
   * @return what was checked, for the log
   */
  public static String preflight(S3Destination destination, AwsSettings aws, String sha, String imageName, String digest, java.util.List<String> modules,
      Reporter reporter) throws ImagegateException {
    destination.validate();
    destination.checkLayoutFor(modules);
    if (sha == null || !sha.matches("[0-9a-f]{40}")) {
      throw new AuditException("image.json has no full commit sha ('" + sha + "'): the record's S3 key is the commit sha.",
          "Rebuild the image from a git checkout (mvn package).");
    }
    try (S3AuditSink sink = new S3AuditSink(AwsAccess.resolve(aws, reporter), destination, reporter)) {
      return sink.checkWritable(sha, imageName, digest);
    }
  }

  private static AuditException notRecorded(Handover handover, String uri, ImagegateException cause, String recoveryCommand) {
    String nl = System.lineSeparator();
    String message = "The audit record was NOT written: " + cause.getMessage() + nl
        + "Pushed and signed but NOT recorded in " + uri + " (commit " + handover.sha() + ", digest " + handover.digest() + "):" + nl
        + handover.describe();
    String suggestion = (cause.suggestion().isEmpty() ? "" : cause.suggestion() + nl + "       ")
        + "Then complete the record from the files in target/imagegate/ (nothing is rebuilt or pushed again) with:" + nl
        + "    " + recoveryCommand + nl;
    return new AuditException(message, suggestion, cause);
  }
}
