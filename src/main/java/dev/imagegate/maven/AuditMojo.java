package dev.imagegate.maven;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.audit.AuditRun;
import dev.imagegate.audit.S3AuditSink;
import dev.imagegate.audit.S3Destination;
import dev.imagegate.aws.AwsSettings;
import java.io.File;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Records the push in an S3 audit log: one JSON record per commit at {@code s3://<bucket>/<prefix>/<sha>.json}, or
 * with {@code keyLayout} {@code image} one per commit and image at {@code <prefix>/<sha>/<image name>.json} (who
 * pushed which digest from which CI run, where it went, the scan summary, the signatures), written with
 * {@code If-None-Match: *} so that a record is never overwritten, and copied to {@code target/imagegate/audit.json}.
 *
 * <p>Runs in {@code deploy} after {@code push} and {@code sign} and reads only the files in {@code target/imagegate/}
 * ({@code image.json}, {@code push.json}, and {@code sign.json}/{@code scan.json} when present), so when S3 was not
 * reachable, {@code mvn imagegate:audit} with the same parameters completes the record later. The same digest recorded
 * again is a success that writes nothing; another digest for the same commit and image fails the build. With
 * {@code keyLayout} {@code image}, the modules of a multi-module reactor built from one commit each record their own
 * image, side by side under {@code <prefix>/<sha>/}.
 */
@Mojo(name = "audit", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class AuditMojo extends AbstractAwsMojo {

  /** The S3 bucket of the audit log. */
  @Parameter(property = "imagegate.audit.bucket", required = true)
  private String bucket;

  /** The key prefix; the record's key is {@code <prefix>/<commit sha>.json} (see {@code keyLayout}). */
  @Parameter(property = "imagegate.audit.prefix", defaultValue = S3Destination.DEFAULT_PREFIX)
  private String prefix;

  /** The bucket's region; default: the AWS region ({@code imagegate.aws.region}, AWS_REGION, profile, us-east-1). */
  @Parameter(property = "imagegate.audit.region")
  private String region;

  /** An S3 endpoint of its own (an S3-compatible store or emulator); default: {@code imagegate.aws.endpoint} or AWS's. */
  @Parameter(property = "imagegate.audit.endpoint")
  private String s3Endpoint;

  /** Server-side encryption: {@code SSE-S3} (AES256), {@code SSE-KMS} (aws:kms) or {@code bucket-default} (no header). */
  @Parameter(property = "imagegate.audit.encryption", defaultValue = "SSE-S3")
  private String encryption;

  /** The KMS key (id, ARN or alias) for SSE-KMS; setting it selects SSE-KMS. Default with SSE-KMS: the aws/s3 key. */
  @Parameter(property = "imagegate.audit.kmsKeyId")
  private String kmsKeyId;

  /** Object-lock retention on the record: {@code GOVERNANCE} or {@code COMPLIANCE} (the bucket needs object lock enabled). */
  @Parameter(property = "imagegate.audit.objectLockMode")
  private String objectLockMode;

  /** Days of object-lock retention, with {@code objectLockMode}. */
  @Parameter(property = "imagegate.audit.retentionDays", defaultValue = "0")
  private int retentionDays;

  /** Create the bucket when it does not exist (with object lock when {@code objectLockMode} is set). For first setup and emulators. */
  @Parameter(property = "imagegate.audit.createBucket", defaultValue = "false")
  private boolean createBucket;

  /**
   * The record's key: {@code commit} (the default) = {@code <prefix>/<sha>.json}, one record per commit, the key of
   * the CI workflow this plugin replaces; {@code image} = {@code <prefix>/<sha>/<image name>.json}, one record per
   * image, for a multi-module reactor whose modules each ship an image of the same commit.
   */
  @Parameter(property = "imagegate.audit.keyLayout", defaultValue = "commit")
  private String keyLayout;

  /** Skips the audit goal only. */
  @Parameter(property = "imagegate.audit.skip", defaultValue = "false")
  private boolean skipAudit;

  @Override
  protected void run(Reporter reporter) throws ImagegateException {
    long started = System.nanoTime();
    S3Destination destination = destination();
    AwsSettings aws = awsSettings();
    AuditRun.Outcome outcome = AuditRun.execute(
        new AuditRun.Request(outputDirectory.toPath(), project.getBasedir().toPath(), aws, destination, System.getenv(),
            pluginVersion(), recoveryCommand(), Instant.now()),
        reporter);
    reporter.info(String.format(Locale.ROOT, "imagegate:audit %s %s %s%n  (pushed_by %s, %s) in %.2f s -> %s",
        outcome.record().digest(),
        outcome.status() == S3AuditSink.Status.WRITTEN ? "recorded in" : "already recorded in",
        outcome.uri(), outcome.record().pushedBy(),
        outcome.record().signed() ? outcome.record().signatures().size() + " signature(s)" : "unsigned",
        (System.nanoTime() - started) / 1e9, outcome.auditJson()));
  }

  /** push's check, before it uploads anything, that this goal will be able to record {@code digest} (see {@link AuditRun#preflight}). */
  String preflight(String sha, String imageName, String digest, List<String> modules, Reporter reporter) throws ImagegateException {
    if (skip || skipAudit) {
      return "skipped (imagegate.audit.skip)";
    }
    return AuditRun.preflight(destination(), awsSettings(), sha, imageName, digest, modules, reporter);
  }

  /** Where and how the record is stored, as configured. */
  S3Destination destination() throws ImagegateException {
    return new S3Destination(
        bucket == null ? null : bucket.trim(),
        prefix,
        blank(region),
        blank(s3Endpoint).map(URI::create),
        S3Destination.Encryption.parse(encryption),
        blank(kmsKeyId),
        blank(objectLockMode).map(s -> s.toUpperCase(Locale.ROOT)),
        retentionDays,
        createBucket,
        S3Destination.KeyLayout.parse(keyLayout));
  }

  /** {@code mvn imagegate:audit} with every parameter this run used, so it completes the record from the same files. */
  String recoveryCommand() {
    List<String> args = new ArrayList<>();
    args.add("mvn");
    File pom = project == null ? null : project.getFile();
    if (pom != null) {
      args.add("-f");
      args.add(quote(pom.getPath()));
    }
    args.add("imagegate:audit");
    add(args, "imagegate.audit.bucket", bucket);
    if (prefix != null && !prefix.equals(S3Destination.DEFAULT_PREFIX)) {
      add(args, "imagegate.audit.prefix", prefix);
    }
    add(args, "imagegate.audit.region", region);
    add(args, "imagegate.audit.endpoint", s3Endpoint);
    if (encryption != null && !encryption.equalsIgnoreCase("SSE-S3")) {
      add(args, "imagegate.audit.encryption", encryption);
    }
    add(args, "imagegate.audit.kmsKeyId", kmsKeyId);
    add(args, "imagegate.audit.objectLockMode", objectLockMode);
    if (objectLockMode != null && !objectLockMode.isBlank()) {
      add(args, "imagegate.audit.retentionDays", String.valueOf(retentionDays));
    }
    if (createBucket) {
      add(args, "imagegate.audit.createBucket", "true");
    }
    if (keyLayout != null && !keyLayout.isBlank() && !keyLayout.trim().equalsIgnoreCase("commit")) {
      add(args, "imagegate.audit.keyLayout", keyLayout);
    }
    add(args, "imagegate.aws.roleArn", roleArn);
    add(args, "imagegate.aws.sessionName", sessionName);
    add(args, "imagegate.aws.region", awsRegion);
    add(args, "imagegate.aws.endpoint", awsEndpoint);
    if (allowStaticCredentials) {
      add(args, "imagegate.aws.allowStaticCredentials", "true");
    }
    if (outputDirectory != null && project != null
        && !outputDirectory.toPath().normalize().equals(new File(project.getBuild().getDirectory(), "imagegate").toPath().normalize())) {
      add(args, "imagegate.outputDirectory", outputDirectory.getPath());
    }
    return String.join(" ", args);
  }

  private static void add(List<String> args, String property, String value) {
    if (value != null && !value.isBlank()) {
      args.add(quote("-D" + property + "=" + value.trim()));
    }
  }

  private static String quote(String s) {
    return s.matches("[A-Za-z0-9_./:=@,+%-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  @Override
  protected boolean skipGoal() {
    return skipAudit;
  }

  @Override
  protected Optional<String> offlineReach() {
    return Optional.of("the S3 bucket it records in");
  }

  @Override
  protected String goalName() {
    return "imagegate:audit";
  }
}
