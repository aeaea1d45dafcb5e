package dev.imagegate.maven;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.preflight.Preflight;
import dev.imagegate.push.PushRun;
import dev.imagegate.registry.RegistryException;
import dev.imagegate.registry.RegistryOptions;
import dev.imagegate.sign.SigningKeyAccess;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.inject.Inject;
import org.apache.maven.lifecycle.LifecycleExecutor;
import org.apache.maven.plugin.MavenPluginManager;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

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
public class PushMojo extends AbstractRegistryMojo {

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

  /** Skips the push goal only. */
  @Parameter(property = "imagegate.push.skip", defaultValue = "false")
  private boolean skipPush;

  private final LifecycleExecutor lifecycleExecutor;
  private final MavenPluginManager pluginManager;

  @Inject
  public PushMojo(MavenServers servers, LifecycleExecutor lifecycleExecutor, MavenPluginManager pluginManager) {
    super(servers);
    this.lifecycleExecutor = lifecycleExecutor;
    this.pluginManager = pluginManager;
  }

  @Override
  protected void run(Reporter reporter) throws ImagegateException {
    long started = System.nanoTime();
    List<RegistryAuth.Target> wanted = new ArrayList<>();
    for (PushTarget t : targets == null ? List.<PushTarget>of() : targets) {
      wanted.add(new RegistryAuth.Target(t.registry, t.endpoint, t.repository, t.region, t.auth, t.serverId, null));
    }
    RegistryOptions options = registryOptions().withRetries(maxAttempts, RegistryOptions.DEFAULTS.initialBackoff(), RegistryOptions.DEFAULTS.maxBackoff());
    PushRun.Outcome outcome;
    try (RegistryAuth auth = registryAuth(SigningKeyAccess.awsOnly(awsSettings(), reporter), reporter)) {
      outcome = PushRun.execute(
          new PushRun.Request(outputDirectory.toPath(), wanted, tags, allowMutableTags, allowDirty,
              new PushRun.EcrRepositories(createRepositories, failOnMutableRepository, scanOnPush), parallelUploads, options, auth,
              checkLaterGoals, this::checkLaterGoals),
          reporter);
    }
    reporter.info(String.format(Locale.ROOT, "imagegate:push %s to %d target(s) in %.2f s -> %s",
        outcome.image().digest(), outcome.results().size(), (System.nanoTime() - started) / 1e9, outcome.pushJson()));
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
      PushRun.runPreflight(preflight, reporter);
    } catch (ImagegateException e) {
      throw e;
    } catch (Exception e) {
      throw new RegistryException("imagegate:push cannot tell which goals follow it in this build (Maven's execution plan: " + e.getMessage() + ").",
          "Fix what Maven reports, or set imagegate.push.checkLaterGoals=false to push without checking the later goals.", 0, e);
    }
  }

  @Override
  protected boolean skipGoal() {
    return skipPush;
  }

  @Override
  protected Optional<String> offlineReach() {
    return Optional.of("its targets (the registries it pushes to, and AWS for ECR tokens)");
  }

  @Override
  protected String goalName() {
    return "imagegate:push";
  }
}
