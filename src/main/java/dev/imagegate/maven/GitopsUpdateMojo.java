package dev.imagegate.maven;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.aws.SdkWarmUp;
import dev.imagegate.gitops.GitopsCredentials;
import dev.imagegate.gitops.GitopsRun;
import dev.imagegate.gitops.ValuesFileSelection;
import dev.imagegate.registry.RegistryClient;
import dev.imagegate.sign.SigningKeyAccess;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes the new image tag into the values files of a GitOps repository (for Argo CD or Flux to roll out), as one
 * commit, and pushes it. Run it after {@code mvn deploy}: {@code mvn imagegate:gitops-update}.
 *
 * <p>The tag, digest and image repository come from {@code target/imagegate/push.json} (else {@code image.json}). Only the
 * addressed YAML values change: comments, quoting, order, other documents and line endings stay byte-identical, and a
 * {@code tag:} key elsewhere is never touched. The GitOps repository is fetched at depth 1, the commit is built in memory and
 * pushed without force; when another push wins the race, the change is applied again on the new tip (bounded
 * retries with backoff). When every file already has the tag, nothing is committed. The outcome is written to
 * {@code target/imagegate/gitops.json}.
 *
 * <p>Credentials: the {@code settings.xml} server named by {@code gitopsServerId} (passwords may be encrypted), else a token
 * in the environment variable named by {@code gitopsTokenEnv}. They are never logged and never written into the clone.
 */
@Mojo(name = "gitops-update", threadSafe = true)
public class GitopsUpdateMojo extends AbstractRegistryMojo {

  /** The GitOps repository URL, e.g. {@code https://github.com/acme/gitops.git}. No credentials in it. */
  @Parameter(property = "imagegate.gitops.repository", required = true)
  private String gitopsRepository;

  /** The branch to update (with {@code gitopsPushToBranch}: the branch the change starts from). */
  @Parameter(property = "imagegate.gitops.branch", defaultValue = "main")
  private String gitopsBranch;

  /**
   * The environments to update (promotion mode: e.g. {@code dev} on every push, {@code production} by
   * {@code -Dimagegate.gitops.environments=production}). With no explicit {@code gitopsFiles}, each environment is the
   * file {@code gitopsValuesFile} with {@code {environment}} replaced; with explicit {@code gitopsFiles}, those whose
   * {@code environment} is set are kept only when it is listed.
   */
  @Parameter(property = "imagegate.gitops.environments", defaultValue = "dev,staging,production")
  private List<String> gitopsEnvironments;

  /** The values file of an environment, relative to the repository root; {@code {environment}} is replaced. */
  @Parameter(property = "imagegate.gitops.valuesFile", defaultValue = "apps/${project.artifactId}/values-{environment}.yaml")
  private String gitopsValuesFile;

  /** The YAML path of the tag in the default values files: keys separated by dots, {@code [n]} for list items. */
  @Parameter(property = "imagegate.gitops.tagPath", defaultValue = "image.tag")
  private String gitopsTagPath;

  /** The YAML path of the image repository in the default values files, if it is to be written too (e.g. {@code image.repository}). */
  @Parameter(property = "imagegate.gitops.repositoryPath")
  private String gitopsRepositoryPath;

  /** The YAML path of the digest in the default values files, if it is to be written too (e.g. {@code image.digest}). */
  @Parameter(property = "imagegate.gitops.digestPath")
  private String gitopsDigestPath;

  /**
   * Explicit values files instead of the per-environment default, each a {@code <gitopsFile>} with {@code path},
   * {@code tagPath} (default {@code image.tag}), optional {@code repositoryPath}, {@code digestPath} and {@code environment}.
   */
  @Parameter
  private List<GitopsFile> gitopsFiles = new ArrayList<>();

  /**
   * Push to a new branch {@code imagegate/<artifactId>-sha-<12 hex>} (for a pull request) instead of {@code gitopsBranch}.
   */
  @Parameter(property = "imagegate.gitops.pushToBranch", defaultValue = "false")
  private boolean gitopsPushToBranch;

  /**
   * The commit message. {@code {tag}}, {@code {digest}}, {@code {repository}}, {@code {commit}} (the source commit),
   * {@code {shortSha}} and {@code {files}} are replaced.
   */
  @Parameter(property = "imagegate.gitops.commitMessage")
  private String gitopsCommitMessage;

  /** The commit author (and committer) name. */
  @Parameter(property = "imagegate.gitops.authorName", defaultValue = "imagegate")
  private String gitopsAuthorName;

  /** The commit author (and committer) email. */
  @Parameter(property = "imagegate.gitops.authorEmail", defaultValue = "imagegate@users.noreply.imagegate.dev")
  private String gitopsAuthorEmail;

  /** The id of a {@code settings.xml} server holding the user name and token/password (encrypted passwords work). */
  @Parameter(property = "imagegate.gitops.serverId")
  private String gitopsServerId;

  /** The environment variable holding the token, used when {@code gitopsServerId} is not set. */
  @Parameter(property = "imagegate.gitops.tokenEnv", defaultValue = "GITOPS_TOKEN")
  private String gitopsTokenEnv;

  /** The user name sent with the token from {@code gitopsTokenEnv} ({@code x-access-token} suits GitHub). */
  @Parameter(property = "imagegate.gitops.username", defaultValue = "x-access-token")
  private String gitopsUsername;

  /**
   * For an SSH repository URL ({@code ssh://git@host/org/deploy.git} or {@code git@host:org/deploy.git}): the private key
   * file (OpenSSH or PEM; a relative path is resolved against the project directory), e.g. the deploy key a CI step
   * wrote from a secret. Default: the key text in {@code gitopsSshKeyEnv}, else the {@code <privateKey>} of the
   * {@code gitopsServerId} server, else {@code ~/.ssh/id_ed25519}, {@code id_ecdsa} or {@code id_rsa}.
   */
  @Parameter(property = "imagegate.gitops.sshKey")
  private String gitopsSshKey;

  /** The environment variable holding the SSH private key text itself (used when {@code gitopsSshKey} is not set). */
  @Parameter(property = "imagegate.gitops.sshKeyEnv", defaultValue = "IMAGEGATE_GITOPS_SSH_KEY")
  private String gitopsSshKeyEnv;

  /**
   * The environment variable holding the SSH key's passphrase, if it has one. The {@code <passphrase>} of the
   * {@code gitopsServerId} server in {@code settings.xml} (encrypted passphrases work) is used instead when set.
   */
  @Parameter(property = "imagegate.gitops.sshPassphraseEnv", defaultValue = "IMAGEGATE_GITOPS_SSH_PASSPHRASE")
  private String gitopsSshPassphraseEnv;

  /** The OpenSSH known_hosts file the SSH server's host key must be listed in (add it with {@code ssh-keyscan}). */
  @Parameter(property = "imagegate.gitops.knownHosts", defaultValue = "${user.home}/.ssh/known_hosts")
  private String gitopsKnownHosts;

  /**
   * Check the SSH server's host key against {@code gitopsKnownHosts}. {@code false} trusts any server (with a
   * warning): only for throw-away test servers; prefer adding the key with {@code ssh-keyscan}.
   */
  @Parameter(property = "imagegate.gitops.strictHostKeyChecking", defaultValue = "true")
  private boolean gitopsStrictHostKeyChecking;

  /** How many fetch-edit-push rounds before giving up when other pushes keep winning. */
  @Parameter(property = "imagegate.gitops.maxAttempts", defaultValue = "5")
  private int gitopsMaxAttempts;

  /** The first wait in milliseconds after a rejected push; doubled each round, with jitter. */
  @Parameter(property = "imagegate.gitops.backoffMillis", defaultValue = "500")
  private long gitopsBackoffMillis;

  /** Network timeout of each fetch and push, in seconds. */
  @Parameter(property = "imagegate.gitops.timeoutSeconds", defaultValue = "60")
  private int gitopsTimeoutSeconds;

  /** Create a missing last key of a path (its parent mapping must exist) instead of failing. */
  @Parameter(property = "imagegate.gitops.createMissing", defaultValue = "false")
  private boolean gitopsCreateMissing;

  /** Allow sending credentials over plain {@code http://}: only for a local test server. */
  @Parameter(property = "imagegate.gitops.allowInsecureHttp", defaultValue = "false")
  private boolean gitopsAllowInsecureHttp;

  /** Which registry's repository of {@code push.json} to write (when several were pushed to); default the first. */
  @Parameter(property = "imagegate.gitops.registry")
  private String gitopsRegistry;

  /** The image repository to write, overriding the one from {@code push.json} (e.g. {@code registry.example.com/name}). */
  @Parameter(property = "imagegate.gitops.imageRepository")
  private String gitopsImageRepository;

  /**
   * The signature gate's key: a PEM public key file ({@code cosign.pub}, relative to the project) or an AWS KMS key
   * ({@code awskms:///alias/<name>}, a key ARN…). Every copy of the digest listed in {@code push.json} must carry a
   * signature over exactly that digest, valid under this key, or nothing is written. Default: the
   * {@code imagegate.verify.key} property (the key of {@code verify-signature}) if set, else the key {@code sign} used,
   * as {@code sign.json} records it (the public half of a key file; a KMS key's public key is read again with
   * GetPublicKey). With neither, the goal refuses (see {@code gitopsAllowUnsigned}).
   */
  @Parameter(property = "imagegate.gitops.verifyKey", defaultValue = "${imagegate.verify.key}")
  private String gitopsVerifyKey;

  /**
   * Promote without checking the signature: the explicit opt-out of the signature gate, logged as a warning naming the
   * digest written unchecked. Without it an unsigned digest, or one with no key to check it against, is refused.
   */
  @Parameter(property = "imagegate.gitops.allowUnsigned", defaultValue = "false")
  private boolean gitopsAllowUnsigned;

  /** The KMS region of a {@code gitopsVerifyKey} that is not an ARN. */
  @Parameter(property = "imagegate.sign.kmsRegion")
  private String kmsRegion;

  /** Skips the gitops-update goal only. */
  @Parameter(property = "imagegate.gitops.skip", defaultValue = "false")
  private boolean skipGitops;

  /**
   * Deprecated spelling of {@code skipGitops}: the property {@code imagegate.gitops-update.skip} still skips the goal,
   * with a warning; use {@code imagegate.gitops.skip}, the pattern of every other goal ({@code imagegate.<prefix>.skip},
   * the prefix of the goal's own properties).
   */
  @Deprecated
  @Parameter(property = DEPRECATED_SKIP_PROPERTY, defaultValue = "false")
  private boolean skipGitopsUpdate;

  static final String DEPRECATED_SKIP_PROPERTY = "imagegate.gitops-update.skip";

  @Inject
  public GitopsUpdateMojo(MavenServers servers) {
    super(servers);
  }

  /** One explicit values file (a {@code <gitopsFile>} of the {@code <gitopsFiles>} parameter). */
  public static class GitopsFile {
    /** Path relative to the repository root. */
    String path;
    /** YAML path of the tag; default {@code image.tag}. */
    String tagPath;
    /** YAML path of the repository, optional. */
    String repositoryPath;
    /** YAML path of the digest, optional. */
    String digestPath;
    /** The environment the file belongs to (for promotion), optional. */
    String environment;
  }

  @Override
  protected void run(Reporter reporter) throws ImagegateException {
    if (awsWarmUp) {
      // in its own mvn nothing before this goal loaded the AWS SDK, the registry client or JGit: load them on the other
      // core (no network) while this thread reads the release, the key and the credentials, so that the signature
      // gate's first AWS call and the clone find them loaded (imagegate.aws.warmUp=false turns it off)
      Thread aws = gitopsAllowUnsigned ? null : SdkWarmUp.start(EnumSet.of(SdkWarmUp.Service.STS, SdkWarmUp.Service.ECR), () -> initialize(RegistryClient.class));
      GitopsRun.warmUp(aws);
    }
    List<ValuesFileSelection.Explicit> files = new ArrayList<>();
    for (GitopsFile f : gitopsFiles == null ? List.<GitopsFile>of() : gitopsFiles) {
      files.add(new ValuesFileSelection.Explicit(f.path, f.tagPath, f.repositoryPath, f.digestPath, f.environment));
    }
    GitopsRun.Request request = new GitopsRun.Request(
        outputDirectory.toPath(),
        project.getBasedir().toPath(),
        Path.of(project.getBuild().getDirectory(), "imagegate-gitops-work"),
        new GitopsRun.Target(gitopsRepository, gitopsBranch, gitopsPushToBranch, project.getArtifactId(), blank(gitopsCommitMessage),
            gitopsAuthorName, gitopsAuthorEmail, gitopsMaxAttempts, gitopsBackoffMillis, gitopsTimeoutSeconds, gitopsCreateMissing,
            gitopsAllowInsecureHttp),
        new ValuesFileSelection(gitopsEnvironments, gitopsValuesFile, gitopsTagPath, blank(gitopsRepositoryPath), blank(gitopsDigestPath), files),
        blank(gitopsRegistry),
        blank(gitopsImageRepository),
        new GitopsCredentials(gitopsServerId, gitopsTokenEnv, gitopsUsername, gitopsSshKey, gitopsSshKeyEnv, gitopsSshPassphraseEnv,
            gitopsKnownHosts, gitopsStrictHostKeyChecking),
        servers(),
        System.getenv(),
        // an unset imagegate.verify.key leaves its ${…} default unexpanded
        new GitopsRun.Gate(blank(gitopsVerifyKey).filter(k -> !k.startsWith("${")), gitopsAllowUnsigned, kmsRegion(kmsRegion),
            blank(awsEndpoint).map(URI::create), registryOptions()));
    SigningKeyAccess access = SigningKeyAccess.awsOnly(awsSettings(), reporter);
    try (RegistryAuth auth = registryAuth(access, reporter)) {
      GitopsRun.execute(request, access, auth, reporter);
    }
  }

  @Override
  protected boolean skipGoal() {
    if (skipGitopsUpdate) {
      getLog().warn(DEPRECATED_SKIP_PROPERTY + " is deprecated: use imagegate.gitops.skip (imagegate.<prefix>.skip, as every other goal).");
    }
    return skipGitops || skipGitopsUpdate;
  }

  @Override
  protected Optional<String> offlineReach() {
    return Optional.of("the GitOps repository and the registries whose signatures it checks");
  }

  @Override
  protected String goalName() {
    return "imagegate:gitops-update";
  }
}
