package dev.imagegate.maven;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.AwsAccess;
import dev.imagegate.aws.Ecr;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.registry.DockerConfigCredentials;
import dev.imagegate.registry.ImagePusher;
import dev.imagegate.registry.OciNames;
import dev.imagegate.registry.PushRecord;
import dev.imagegate.registry.RegistryClient;
import dev.imagegate.registry.RegistryException;
import dev.imagegate.registry.RegistryOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Pushes exactly the image archive that {@code build} wrote (and {@code scan} approved) to every configured
 * registry, under the immutable tag {@code sha-<commit>}, and proves it: each registry must store the manifest under
 * image.json's digest. Writes {@code target/imagegate/push.json}.
 *
 * <p>A tag that already points to another digest is never overwritten (on any registry, checked before any upload);
 * re-pushing the same digest is a fast no-op. ECR targets get their credentials from {@code GetAuthorizationToken}
 * with AWS credentials from GitHub Actions OIDC ({@code roleArn}) or the SDK default chain; long-lived access keys are
 * refused. ECR repositories must be {@code IMMUTABLE} or {@code IMMUTABLE_WITH_EXCLUSION} of {@code sha256-*}.
 */
@Mojo(name = "push", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class PushMojo extends AbstractAwsMojo {

  /**
   * The registries to push to:
   * <pre>{@code
   * <targets>
   *   <target><registry>123456789012.dkr.ecr.us-east-1.amazonaws.com</registry><repository>myapp</repository></target>
   *   <target><registry>registry.example.com</registry><repository>team/myapp</repository><auth>settings</auth></target>
   * </targets>
   * }</pre>
   */
  @Parameter
  private List<PushTarget> targets = new ArrayList<>();

  /** Extra tags besides image.json's {@code sha-<commit>}. Mutable ones (anything else) need {@code allowMutableTags}. */
  @Parameter
  private List<String> tags = new ArrayList<>();

  /** Allow tags other than {@code sha-<40 hex>} (such as {@code latest}). They are still never overwritten. */
  @Parameter(property = "imagegate.push.allowMutableTags", defaultValue = "false")
  private boolean allowMutableTags;

  /** Push an image built from a working tree with uncommitted changes. */
  @Parameter(property = "imagegate.push.allowDirty", defaultValue = "false")
  private boolean allowDirty;

  /** Allow registries over plain HTTP, and credentials sent over it. Only for local test registries. */
  @Parameter(property = "imagegate.allowInsecureRegistries", defaultValue = "false")
  private boolean allowInsecureRegistries;

  /** Fail (true) or only warn (false) when an ECR repository's tags are mutable. */
  @Parameter(property = "imagegate.push.failOnMutableRepository", defaultValue = "true")
  private boolean failOnMutableRepository;

  /** Create missing ECR repositories as {@code IMMUTABLE_WITH_EXCLUSION} ({@code sha256-*}) with scan on push. */
  @Parameter(property = "imagegate.push.createRepositories", defaultValue = "false")
  private boolean createRepositories;

  /** Scan-on-push for repositories the plugin creates. */
  @Parameter(property = "imagegate.push.scanOnPush", defaultValue = "true")
  private boolean scanOnPush;

  /** Blob uploads running at once, over all targets. */
  @Parameter(property = "imagegate.push.parallelUploads", defaultValue = "4")
  private int parallelUploads;

  /** Attempts per request and per blob on connection failures, 5xx and 429. */
  @Parameter(property = "imagegate.push.maxAttempts", defaultValue = "5")
  private int maxAttempts;






  /** Skips the push goal only. */
  @Parameter(property = "imagegate.push.skip", defaultValue = "false")
  private boolean skipPush;

  @Parameter(defaultValue = "${settings}", readonly = true)
  private Settings settings;

  private final SettingsDecrypter settingsDecrypter;

  @Inject
  public PushMojo(SettingsDecrypter settingsDecrypter) {
    this.settingsDecrypter = settingsDecrypter;
  }

  @Override
  protected void run(Reporter reporter) throws ImagegateException {
    long started = System.nanoTime();
    Path out = outputDirectory.toPath();
    ImageDescriptor image = ImageDescriptor.read(out);
    if (image.dirty() && !allowDirty) {
      throw new RegistryException(
          "The image " + image.digest() + " was built from a working tree with uncommitted changes; its tag " + image.tag() + " would not name its content.",
          "Commit (or stash) the changes and build again, or set allowDirty (-Dimagegate.push.allowDirty=true).");
    }
    Set<String> allTags = new LinkedHashSet<>();
    allTags.add(image.tag());
    allTags.addAll(tags);
    for (String t : allTags) {
      OciNames.checkTag(t);
      if (!t.matches("sha-[0-9a-f]{40}") && !allowMutableTags) {
        throw new RegistryException(
            "Tag '" + t + "' is mutable (only sha-<40 hex commit> tags name one image forever).",
            "Remove it from <tags>, or set allowMutableTags (-Dimagegate.push.allowMutableTags=true).");
      }
    }
    if (targets == null || targets.isEmpty()) {
      throw new RegistryException(
          "No push targets are configured.",
          "Add <targets><target><registry>123456789012.dkr.ecr.us-east-1.amazonaws.com</registry><repository>" + image.name() + "</repository></target></targets> to the plugin configuration.");
    }
    RegistryOptions options =
        registryOptions().withAllowInsecure(allowInsecureRegistries).withRetries(maxAttempts, RegistryOptions.DEFAULTS.initialBackoff(), RegistryOptions.DEFAULTS.maxBackoff());
    List<ImagePusher.Destination> destinations = new ArrayList<>();
    Map<ImagePusher.Destination, RegistryAuth.Resolved> resolved = new HashMap<>();
    try (RegistryAuth auth = new RegistryAuth(
        new MavenSettingsCredentials(settings, settingsDecrypter), DockerConfigCredentials.fromEnvironment(System.getenv()),
        () -> new Ecr(AwsAccess.resolve(awsSettings(), reporter), reporter))) {
      List<RegistryAuth.Target> wanted = new ArrayList<>();
      for (PushTarget t : targets) {
        String repository = t.repository == null || t.repository.isBlank() ? image.name() : t.repository;
        wanted.add(new RegistryAuth.Target(t.registry, t.endpoint, repository, t.region, t.auth, t.serverId, null));
      }
      List<RegistryAuth.Resolved> all = auth.resolveAll(wanted, (ecr, r) ->
          ecr.ensureRepository(r.region().orElseThrow(), r.account(), r.repository(), createRepositories, failOnMutableRepository, scanOnPush));
      // who pushed (STS GetCallerIdentity, for push.json) is asked while the blobs go up
      CompletableFuture<String> pushedBy = auth.openedEcr().isPresent()
          ? CompletableFuture.supplyAsync(() -> callerArn(auth.openedEcr().get()))
          : CompletableFuture.completedFuture(null);
      for (int i = 0; i < all.size(); i++) {
        RegistryAuth.Resolved r = all.get(i);
        RegistryClient client;
        try {
          client = new RegistryClient(r.host(), r.repository(), r.credentials(), options, reporter);
        } catch (IllegalArgumentException e) {
          throw new RegistryException("Invalid push target " + targets.get(i) + ": " + e.getMessage(), "Check <registry>, <endpoint> and <repository> (lower case, no tag).");
        }
        ImagePusher.Destination d = new ImagePusher.Destination(client, r.region(), r.ecr());
        destinations.add(d);
        resolved.put(d, r);
      }

      List<ImagePusher.Result> results =
          new ImagePusher(reporter, parallelUploads).push(image.archivePath(out), image.digest(), List.copyOf(allTags), destinations);

      List<PushRecord.Target> recorded = new ArrayList<>();
      for (ImagePusher.Result r : results) {
        RegistryClient c = r.destination().client();
        RegistryAuth.Resolved how = resolved.get(r.destination());
        recorded.add(new PushRecord.Target(c.registry(), c.repository(), r.destination().region().orElse(null), r.destination().ecr(),
            how.account().orElse(null), how.kind().id(), how.serverId().orElse(null), r.reference(), r.tags(), r.uploadedBytes(), r.reusedBlobs()));
        reporter.info(String.format(Locale.ROOT, "  %s:%s %s (%s; %d blobs uploaded, %.1f MB, %d reused)",
            c.name(), String.join(",", r.tags()), r.digest(), r.alreadyTagged() ? "already there" : "pushed", r.uploadedBlobs(), r.uploadedBytes() / 1e6, r.reusedBlobs()));
      }
      PushRecord record =
          new PushRecord(1, image.digest(), image.tag(), image.commit(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), joinCaller(pushedBy), recorded);
      try {
        record.write(out);
      } catch (IOException e) {
        throw new RegistryException("Cannot write " + out.resolve(PushRecord.FILE_NAME) + ": " + e.getMessage(), "Check the permissions of " + out + ".", 0, e);
      }
      reporter.info(String.format(Locale.ROOT, "imagegate:push %s to %d target(s) in %.2f s -> %s",
          image.digest(), results.size(), (System.nanoTime() - started) / 1e9, out.resolve(PushRecord.FILE_NAME)));
    } catch (IllegalStateException e) {
      // credential providers wrap their failures (e.g. an undecryptable settings.xml password) in IllegalStateException
      throw new RegistryException(e.getMessage(), "Check the credentials for the push targets.", 0, e);
    }
  }

  private static String callerArn(Ecr ecr) {
    try {
      return ecr.aws().callerArn();
    } catch (ImagegateException e) {
      throw new CompletionException(e);
    }
  }

  private static String joinCaller(CompletableFuture<String> pushedBy) throws ImagegateException {
    try {
      return pushedBy.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof ImagegateException ie) {
        throw ie;
      }
      throw e;
    }
  }

  @Override
  protected boolean skipGoal() {
    return skipPush;
  }

  @Override
  protected String goalName() {
    return "imagegate:push";
  }
}
