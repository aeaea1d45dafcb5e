package dev.imagegate.maven;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.AwsAccess;
import dev.imagegate.aws.Ecr;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.preflight.Preflight;
import dev.imagegate.registry.DockerConfigCredentials;
import dev.imagegate.registry.ImagePusher;
import dev.imagegate.registry.OciNames;
import dev.imagegate.registry.PushRecord;
import dev.imagegate.registry.RegistryClient;
import dev.imagegate.registry.RegistryException;
import dev.imagegate.registry.RegistryOptions;
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
import org.apache.maven.lifecycle.LifecycleExecutor;
import org.apache.maven.plugin.MavenPluginManager;
import org.apache.maven.plugin.MojoExecution;
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






  /**
   * Before uploading anything, check what the later goals of this build will need and fail with every problem found
   * at once: the later goals are this plugin's executions in Maven's plan for this build after push (e.g. sign and
   * audit in {@code mvn deploy}). sign: the key can sign (a key file is read and decrypted; a KMS key is an enabled
   * ECC_NIST_P256 / SIGN_VERIFY key whose public key can be read). audit: the bucket exists and the record's key is
   * free (or holds this digest), and {@code keyLayout} gives each module of a reactor its own record. Set false to push
   * without these checks (logged as a warning); the later goals then fail on their own, after the push.
   */
  @Parameter(property = "imagegate.push.checkLaterGoals", defaultValue = "true")
  private boolean checkLaterGoals;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true)
  private MojoExecution mojoExecution;

  /** Skips the push goal only. */
  @Parameter(property = "imagegate.push.skip", defaultValue = "false")
  private boolean skipPush;

  @Parameter(defaultValue = "${settings}", readonly = true)
  private Settings settings;

  private final SettingsDecrypter settingsDecrypter;
  private final LifecycleExecutor lifecycleExecutor;
  private final MavenPluginManager pluginManager;

  @Inject
  public PushMojo(SettingsDecrypter settingsDecrypter, LifecycleExecutor lifecycleExecutor, MavenPluginManager pluginManager) {
    this.settingsDecrypter = settingsDecrypter;
    this.lifecycleExecutor = lifecycleExecutor;
    this.pluginManager = pluginManager;
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
    if (checkLaterGoals) {
      checkLaterGoals(image, reporter);
    } else {
      reporter.warn("imagegate.push.checkLaterGoals=false: pushing without checking that the later goals of this build (sign, audit) can finish;"
          + " they may fail after the image is in the registries.");
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
      // who pushed to ECR (STS GetCallerIdentity, for push.json) is asked while the blobs go up
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

      joinCaller(pushedBy);
      List<PushRecord.Target> recorded = new ArrayList<>();
      Set<String> pushers = new LinkedHashSet<>();
      for (ImagePusher.Result r : results) {
        RegistryClient c = r.destination().client();
        RegistryAuth.Resolved how = resolved.get(r.destination());
        RegistryAuth.Identity who = auth.identify(how);
        pushers.add(who.who());
        recorded.add(new PushRecord.Target(c.registry(), c.repository(), r.destination().region().orElse(null), r.destination().ecr(),
            how.account().orElse(null), how.kind().id(), how.serverId().orElse(null), r.reference(), r.tags(), r.uploadedBytes(), r.reusedBlobs(),
            who.who(), who.how()));
        reporter.info(String.format(Locale.ROOT, "  %s:%s %s (%s; %d blobs uploaded, %.1f MB, %d reused; as %s)",
            c.name(), String.join(",", r.tags()), r.digest(), r.alreadyTagged() ? "already there" : "pushed", r.uploadedBlobs(), r.uploadedBytes() / 1e6, r.reusedBlobs(), who.who()));
      }
      PushRecord record =
          new PushRecord(1, image.digest(), image.tag(), image.commit(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), String.join(", ", pushers), recorded);
      record.write(out);
      reporter.info(String.format(Locale.ROOT, "imagegate:push %s to %d target(s) in %.2f s -> %s",
          image.digest(), results.size(), (System.nanoTime() - started) / 1e9, out.resolve(PushRecord.FILE_NAME)));
    } catch (IllegalStateException e) {
      // credential providers wrap their failures (e.g. an undecryptable settings.xml password) in IllegalStateException
      throw new RegistryException(e.getMessage(), "Check the credentials for the push targets.", 0, e);
    }
  }

  /** The later goals' needs ({@link LaterGoals}), checked by their own core classes through {@link Preflight}. */
  private void checkLaterGoals(ImageDescriptor image, Reporter reporter) throws ImagegateException {
    if (session == null || mojoExecution == null) {
      return;
    }
    Preflight preflight = new Preflight();
    try (LaterGoals later = LaterGoals.of(session, mojoExecution, lifecycleExecutor, pluginManager)) {
      for (LaterGoals.Goal g : later.goals()) {
        if (g.unconfigurable() != null) {
          preflight.add(g.name(), () -> {
            throw new RegistryException("its configuration cannot be read: " + g.unconfigurable().getMessage(),
                "Fix the configuration of imagegate:" + g.name() + " (run it alone to see Maven's message).", 0, g.unconfigurable());
          });
        } else if (g.mojo() instanceof SignMojo sign) {
          preflight.add(g.name(), () -> sign.preflight(reporter));
        } else if (g.mojo() instanceof AuditMojo audit) {
          List<String> modules = LaterGoals.modulesBinding(
              session.getProjects() == null ? List.of() : session.getProjects(), project, pluginDescriptor.getPluginLookupKey(), g.name());
          preflight.add(g.name(), () -> audit.preflight(image.commit(), image.name(), image.digest(), modules, reporter));
        }
      }
      if (!preflight.isEmpty()) {
        reporter.info("imagegate:push checking, before uploading anything, what the later goals of this build need:");
        preflight.run(reporter);
      }
    } catch (ImagegateException e) {
      throw e;
    } catch (Exception e) {
      throw new RegistryException("imagegate:push cannot tell which goals follow it in this build (Maven's execution plan: " + e.getMessage() + ").",
          "Fix what Maven reports, or set imagegate.push.checkLaterGoals=false to push without checking the later goals.", 0, e);
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
