package dev.imagegate.maven;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.SdkWarmUp;
import dev.imagegate.git.GitCommitReader;
import dev.imagegate.github.GithubActions;
import dev.imagegate.github.SourceLocations;
import dev.imagegate.registry.RegistryClient;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What every imagegate goal shares: the project, the hand-over directory, the skip switches, and the translation
 * of a typed failure into a {@link MojoFailureException} that says what to do.
 */
abstract class AbstractImagegateMojo extends AbstractMojo {

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
  protected PluginDescriptor pluginDescriptor;

  /**
   * The directory where the goals hand over to each other: the image archive, {@code image.json}, scan reports,
   * {@code push.json}, {@code sign.json}, {@code audit.json}.
   */
  @Parameter(property = "imagegate.outputDirectory", defaultValue = "${project.build.directory}/imagegate", required = true)
  protected File outputDirectory;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  protected MavenSession session;

  /**
   * In a build that reaches a later goal talking to AWS (push, sign, audit in {@code mvn deploy}), let the goals before it
   * load the AWS SDK's client classes and the registry HTTP client in a background thread, with no network traffic:
   * the first AWS goal then starts
   * about 0.5 s sooner. {@code gitops-update} run on its own ({@code mvn imagegate:gitops-update}) loads the AWS SDK,
   * the registry client and JGit the same way while it reads the release and the key. Set false to keep that work off
   * the other cores.
   */
  @Parameter(property = "imagegate.aws.warmUp", defaultValue = "true")
  protected boolean awsWarmUp;

  /**
   * In a build that reaches the build goal after this one ({@code detect-secrets} in {@code validate}, then
   * {@code mvn verify} or {@code mvn deploy}), read the git commit and status once in a background thread when this goal
   * is done, beside Maven's compile and test, so that the build goal finds JGit loaded: its first status in a JVM takes
   * 0.4-0.6 s, a warm one ~0.03 s. Read-only; the build reads the commit and status itself again. Set false to keep
   * that work off the other cores.
   */
  @Parameter(property = "imagegate.git.warmUp", defaultValue = "true")
  protected boolean gitWarmUp;

  /**
   * In a build that reaches the sign goal after this one ({@code detect-secrets} or {@code build}, then
   * {@code mvn deploy}) with a key file ({@code cosign.key}), decrypt the key once in a background thread when this goal
   * is done: push's check that the key can sign, and the sign goal, then find it decrypted (scrypt: ~0.3 s of CPU each
   * time). The decrypted key is kept for this build only, in memory, and never written. Set false to leave the
   * decryption to push's check (the sign goal still uses the key that check decrypted).
   */
  @Parameter(property = "imagegate.sign.warmUp", defaultValue = "true")
  protected boolean signWarmUp;

  /** The execution now running (to find the goals after it in Maven's plan). */
  @Parameter(defaultValue = "${mojoExecution}", readonly = true)
  protected MojoExecution mojoExecution;

  /** Skips every imagegate goal. */
  @Parameter(property = "imagegate.skip", defaultValue = "false")
  protected boolean skip;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    // before any library the goal uses creates its loggers: no credential reaches the log under mvn -X
    List<String> held = SecretBearingLoggers.hold(System.getProperties());
    if (getLog().isDebugEnabled() && held.contains(SecretBearingLoggers.FILTERING)) {
      getLog().warn("mvn -X: maven-resources-plugin ran before " + goalName() + " and logs every environment variable at debug"
          + " level, credentials included (COSIGN_PASSWORD, GITOPS_TOKEN, IMAGEGATE_GITOPS_SSH_PASSPHRASE). Add the line -D"
          + SecretBearingLoggers.PREFIX + SecretBearingLoggers.FILTERING + "=info to .mvn/jvm.config to keep them out of the log.");
    }
    if (skip || skipGoal()) {
      getLog().info("Skipping " + goalName() + " (skip is set).");
      return;
    }
    if ("pom".equals(project.getPackaging()) && !runsOnPomProjects()) {
      getLog().info("Skipping " + goalName() + ": the project has packaging pom.");
      return;
    }
    if (session != null && session.isOffline()) {
      offlineReach().ifPresent(reach -> getLog().info("Offline (-o): " + goalName() + " still reaches " + reach
          + ". -o keeps the build from downloading its inputs (the base image, the vulnerability database); it does not"
          + " stop delivery. mvn -o verify builds and scans without delivering."));
    }
    Throwable failure = null;
    try {
      run(new MavenReporter(getLog()));
    } catch (ImagegateException e) {
      failure = e;
      throw failureException(e);
    } catch (MojoExecutionException | RuntimeException e) {
      failure = e;
      throw e;
    } finally {
      reportToGithub(failure);
    }
    // after the goal, not during it: the warm-up then runs beside Maven's own next steps (compile, test, jar) and the
    // goals that follow, not against this goal for the same cores
    if (awsWarmUp && session != null) {
      warmUpLaterAwsGoals();
    }
    if (gitWarmUp && session != null && project != null && project.getBasedir() != null
        && BuildAhead.buildAhead(currentGoal(), session.getGoals(), project.getPlugin(pluginDescriptor.getPluginLookupKey()), this::defaultPhase)) {
      getLog().debug("Reading the git status in the background for the build goal ahead (imagegate.git.warmUp).");
      GitCommitReader.warmUp(project.getBasedir().toPath());
    }
    if (signWarmUp && session != null && signingKeyWarmUp() != null
        && BuildAhead.goalAhead("sign", currentGoal(), session.getGoals(), project.getPlugin(pluginDescriptor.getPluginLookupKey()), this::defaultPhase)) {
      signingKeyWarmUp().start(session, mojoExecution, getLog());
    }
  }

  /** The component that decrypts the sign goal's key ahead ({@code imagegate.sign.warmUp}), for the goals that start it. */
  protected SigningKeyWarmUp signingKeyWarmUp() {
    return null;
  }

  private void warmUpLaterAwsGoals() {
    Set<SdkWarmUp.Service> ahead = AwsWarmUpPlan.servicesAhead(currentGoal(), session.getGoals(), project.getPlugin(pluginDescriptor.getPluginLookupKey()),
        this::defaultPhase, session.getUserProperties());
    // the registry client's java.net.http client (its SSL context and selector: ~0.3 s cold) is made at class init
    Runnable registryClient = () -> initialize(RegistryClient.class);
    if (SdkWarmUp.start(ahead, ahead.contains(SdkWarmUp.Service.ECR) ? new Runnable[] {registryClient} : new Runnable[0]) != null) {
      getLog().debug("Loading the AWS SDK clients for " + ahead + " in the background (imagegate.aws.warmUp).");
    }
  }

  /** This goal's name without the prefix ({@code build}). */
  private String currentGoal() {
    return goalName().substring(goalName().indexOf(':') + 1);
  }

  /** A goal's default phase from this plugin's descriptor, or null when it has none. */
  private String defaultPhase(String goal) {
    return pluginDescriptor.getMojo(goal) == null ? null : pluginDescriptor.getMojo(goal).getPhase();
  }

  /** Loads and initialises a class (its static state), for a warm-up thread. */
  protected static void initialize(Class<?> type) {
    try {
      Class.forName(type.getName(), true, type.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The goal's section of the GitHub job summary ({@code GITHUB_STEP_SUMMARY}) and, in GitHub Actions, its annotations
   * on the pom lines to change; never fails the goal.
   */
  private void reportToGithub(Throwable failure) {
    GithubActions github = new GithubActions(System.getenv(), System.out, new MavenReporter(getLog()));
    try {
      if (github.active()) {
        github.afterGoal(goalName(), outputDirectory.toPath(), this::sourceLocations, failure);
      }
    } catch (RuntimeException e) {
      getLog().warn("Could not report " + goalName() + " to GitHub Actions: " + e);
    }
  }

  /** Where in the repository the project's dependencies, base image and plugin are declared. */
  protected SourceLocations sourceLocations() {
    return project == null ? SourceLocations.NONE : ProjectSourceLocations.of(project, pluginDescriptor == null ? "" : pluginDescriptor.getPluginLookupKey());
  }

  /**
   * The failure Maven prints. Maven appends the message of every cause its text does not contain already; a cause
   * whose message is a dump (the AWS SDK lists its whole credential chain, over a thousand characters) is therefore
   * kept as a suppressed exception, which {@code mvn -e} still prints, instead of the cause. So is an AWS SDK exception
   * of any length: {@code aws.SdkFailure} has told it in the goal's words already (operation, resource, error code).
   */
  static MojoFailureException failureException(ImagegateException e) {
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t.getMessage() != null && (t.getMessage().length() > DUMP || t.getMessage().lines().count() > 3
          || t.getClass().getName().startsWith("software.amazon.awssdk."))) {
        MojoFailureException f = new MojoFailureException(failureMessage(e));
        f.addSuppressed(e);
        return f;
      }
    }
    return new MojoFailureException(failureMessage(e), e);
  }

  private static final int DUMP = 300;

  static String failureMessage(ImagegateException e) {
    return e.suggestion().isEmpty() ? e.getMessage() : e.getMessage() + System.lineSeparator() + "  Fix: " + e.suggestion();
  }

  /** The goal's own work: gather parameters, call one core class, log a summary line. */
  protected abstract void run(Reporter reporter) throws ImagegateException, MojoExecutionException;

  /** The goal's own skip parameter. */
  protected abstract boolean skipGoal();

  protected abstract String goalName();

  /**
   * What the goal still reaches under {@code mvn -o} (logged once when it starts offline): the destinations a delivery
   * goal exists for. Empty for goals that reach nothing, or that say themselves what -o means for them (build, scan).
   */
  protected Optional<String> offlineReach() {
    return Optional.empty();
  }

  /** Goals that do something for an aggregator project override this. */
  protected boolean runsOnPomProjects() {
    return false;
  }

  /**
   * The directory relative paths are resolved against: the project's, else (a goal run without a project, whose
   * stand-in project has no directory) the directory Maven was started in.
   */
  protected Path baseDirectory() {
    if (project != null && project.getBasedir() != null) {
      return project.getBasedir().toPath();
    }
    if (session != null && session.getExecutionRootDirectory() != null) {
      return Path.of(session.getExecutionRootDirectory());
    }
    return Path.of("").toAbsolutePath();
  }

  /** A parameter's value, trimmed; empty when unset or blank. */
  protected static Optional<String> blank(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }

  protected String pluginVersion() {
    return pluginDescriptor == null ? "unknown" : pluginDescriptor.getVersion();
  }
}
